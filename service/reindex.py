"""Run the indexing job for the admin API in a separate, lower-priority process, one at a time.

The job (`copmatch index`) runs under `nice` with one thread for every numeric library, so the
service's own threads keep the CPU; it publishes a version as any indexing run does, and the
service's snapshot holder swaps it in once it is complete. The service never builds in-process.
"""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from indexing.versions import index_lock_held
from store.settings import Settings

log = logging.getLogger(__name__)

NICENESS = 10
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class ReindexRunningError(RuntimeError):
    """A reindex was asked for while one is running."""


def index_command(settings: Settings) -> tuple[list[str], dict[str, str]]:
    """The command and environment of a background `copmatch index` for `settings`: niced, one
    thread, the service's settings passed on explicitly (tests build theirs in code)."""
    command = ["nice", "-n", str(NICENESS), sys.executable, "-m", "service.cli", "index"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPMATCH_") and k != "DATABASE_URL"}
    env |= dict.fromkeys(THREAD_ENV, "1") | settings.as_env() | {"COPMATCH_TORCH_THREADS": "1"}
    return command, env


class Reindexer:
    """Starts the indexing process; refuses a second start while one runs (here or elsewhere)."""

    def __init__(
        self, command: list[str], env: dict[str, str] | None = None, index_dir: Path | None = None
    ) -> None:
        self.command, self.env, self.index_dir = command, env, index_dir
        self._process: subprocess.Popen[bytes] | None = None
        self._waiter: threading.Thread | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> "Reindexer":
        """The background `copmatch index` of the service's settings."""
        command, env = index_command(settings)
        return cls(command, env, settings.index_dir)

    @property
    def running(self) -> bool:
        """Whether a run is under way: ours, or any indexing run holding the index lock."""
        ours = self._process is not None and self._process.poll() is None
        return ours or (self.index_dir is not None and index_lock_held(self.index_dir))

    def start(self) -> None:
        """Start a run now, or raise ReindexRunningError."""
        with self._lock:
            if self.running:
                raise ReindexRunningError("a reindex is already running")
            self._process = subprocess.Popen(
                self.command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            self._waiter = threading.Thread(target=self._report, args=(self._process,), daemon=True)
            self._waiter.start()

    @staticmethod
    def _report(process: subprocess.Popen[bytes]) -> None:
        """Wait for the run and log its outcome (a failed build leaves the current index serving)."""
        output, _ = process.communicate()
        text = output.decode(errors="replace").strip()
        if process.returncode == 0:
            log.info("reindex finished: %s", text.splitlines()[-1] if text else "")
        else:
            log.error("reindex failed (exit %s): %s", process.returncode, text[-2000:])

    def join(self, timeout: float | None = None) -> None:
        """Wait for the run in progress and its report (tests, shutdown)."""
        if self._waiter is not None:
            self._waiter.join(timeout)
