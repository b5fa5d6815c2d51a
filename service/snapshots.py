"""Serve the current index version and pick up newly published ones without a restart."""

import logging
import threading
import time
from pathlib import Path
from typing import Protocol

from indexing.versions import current_dir, read_manifest
from models.evidence import EvidenceWeights
from models.expert_features import with_caches
from models.snapshot import Snapshot

log = logging.getLogger(__name__)


class Snapshots(Protocol):
    """Where a request takes its snapshot: the holder, or its live view (service.live)."""

    def get(self) -> Snapshot: ...


class NoIndexError(RuntimeError):
    """No index version has been published yet."""


def load_served(directory: Path) -> Snapshot:
    """The version in `directory`, with the caches every request reads computed now."""
    return with_caches(Snapshot.load(directory), EvidenceWeights())


class SnapshotHolder:
    """Holds the loaded snapshot; a request keeps the reference it got, so a swap never breaks it.

    A new version (1-2 s to load at 1M contributions, its per-version caches included) is read off
    the request path: requests keep being served from the loaded one until the swap.
    """

    def __init__(self, index_dir: Path, check_every: float = 1.0) -> None:
        self.index_dir = index_dir
        self.check_every = check_every
        self._snapshot: Snapshot | None = None
        self._manifest: dict = {}
        self._loaded_dir: Path | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def get(self) -> Snapshot:
        """The loaded snapshot; the first load waits, later versions load in a background thread."""
        due = time.monotonic() - self._checked >= self.check_every
        if self._snapshot is None and due:
            self.refresh()
        elif due and not self._lock.locked():
            self._checked = time.monotonic()
            threading.Thread(target=self.refresh, name="snapshot-refresh", daemon=True).start()
        if self._snapshot is None:
            raise NoIndexError("no index has been built yet: run `copmatch index`")
        return self._snapshot

    @property
    def manifest(self) -> dict:
        """The manifest of the loaded version ({} before the first load)."""
        return self._manifest

    def refresh(self) -> None:
        """Load the version CURRENT names if it is not the loaded one; a bad version is logged, not served."""
        if not self._lock.acquire(blocking=self._snapshot is None):
            return  # another request is loading; keep serving the loaded version
        try:
            self._checked = time.monotonic()
            directory = current_dir(self.index_dir)
            if directory is None or directory == self._loaded_dir:
                return
            try:
                snapshot, manifest = load_served(directory), read_manifest(directory)
            except (OSError, ValueError, KeyError) as error:
                log.error("cannot load index %s, keeping the loaded one: %s", directory, error)
                return
            self._snapshot, self._manifest, self._loaded_dir = snapshot, manifest, directory
            log.info("serving index version %s from %s", snapshot.version, directory)
        finally:
            self._lock.release()
