"""Run the indexing job in the background for the admin API, one run at a time."""

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class ReindexRunningError(RuntimeError):
    """A reindex was asked for while one is running."""


class Reindexer:
    """Starts `job` on a thread; refuses a second start until the first ends."""

    def __init__(self, job: Callable[[], object]) -> None:
        self.job = job
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether a run is under way."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start a run now, or raise ReindexRunningError."""
        with self._lock:
            if self.running:
                raise ReindexRunningError("a reindex is already running")
            self._thread = threading.Thread(target=self._run, name="reindex", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            log.info("reindex finished: %s", self.job())
        except Exception:  # a failed build leaves the current index serving; report and go on
            log.exception("reindex failed")

    def join(self, timeout: float | None = None) -> None:
        """Wait for the run in progress (tests, shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)
