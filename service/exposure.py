"""Load spreading: count how often each member is recommended over the last days.

Counts live in memory and are synced with the store every `sync_seconds` (COPMATCH_EXPOSURE_SYNC_SECONDS,
default five minutes: pending counts written, the window's totals read back), so replicas that share
a store see each other's recommendations within that interval, and a restart loses at most that
much of them. A sync is started by whichever request finds it due, off the request path.
"""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from models.snapshot import Snapshot
from store.exposures import add_exposures, exposures_since


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _first_day(window_days: float) -> str:
    """The oldest day inside the window."""
    return (datetime.now(UTC) - timedelta(days=window_days)).date().isoformat()


class ExposureTracker:
    """In-memory window of recommendation counts, synced with the store in the background."""

    def __init__(self, sessions: sessionmaker[Session], window_days: float, sync_seconds: float) -> None:
        self.sessions = sessions
        self.window_days = window_days
        self.sync_seconds = sync_seconds
        self._lock = threading.Lock()
        self._pending: Counter[tuple[str, str]] = Counter()
        self._counts: Counter[tuple[str, str]] = Counter(exposures_since(sessions, _first_day(window_days)))
        self._synced = time.monotonic()
        self._syncing = threading.Event()
        self._key: tuple[int, str] | None = None
        self._row_of: dict[str, int] = {}
        self._array = np.zeros(0, np.float32)

    def record(self, member_ids: list[str]) -> None:
        """Count one more recommendation for each member."""
        day = _today()
        with self._lock:
            for member_id in member_ids:
                self._counts[(member_id, day)] += 1
                self._pending[(member_id, day)] += 1
                row = self._row_of.get(member_id)
                if row is not None:
                    self._array[row] += 1
        self._sync_if_due()

    def array_for(self, snapshot: Snapshot) -> np.ndarray:
        """Recommendations per member row within the window (rebuilt per version and day)."""
        self._sync_if_due()
        key = (snapshot.version, _today())
        with self._lock:
            if key != self._key:
                self._rebuild(snapshot)
                self._key = key
            return self._array.copy()

    def totals(self) -> Counter[str]:
        """Recommendations per member within the window, as this process knows them now."""
        self._sync_if_due()
        first = _first_day(self.window_days)
        totals: Counter[str] = Counter()
        with self._lock:
            for (member_id, day), count in self._counts.items():
                if day >= first:
                    totals[member_id] += count
        return totals

    def _sync_if_due(self) -> None:
        """Start a background sync when the last one is `sync_seconds` old and none is running."""
        with self._lock:
            due = time.monotonic() - self._synced >= self.sync_seconds and not self._syncing.is_set()
            if due:
                self._syncing.set()
        if due:
            threading.Thread(target=self.sync, name="exposure-sync", daemon=True).start()

    def _rebuild(self, snapshot: Snapshot) -> None:
        """Sum the window's counts into an array aligned with the snapshot's member rows."""
        first = _first_day(self.window_days)
        self._row_of = snapshot.members.row_of
        self._array = np.zeros(len(snapshot.members), np.float32)
        for (member_id, day), count in self._counts.items():
            row = self._row_of.get(member_id)
            if row is not None and day >= first:
                self._array[row] += count

    def flush(self) -> None:
        """Write pending counts to the store."""
        with self._lock:
            pending, self._pending = self._pending, Counter()
        add_exposures(self.sessions, pending)

    def sync(self) -> None:
        """Flush, then read the window's totals back: what other processes recommended counts too."""
        try:
            self.flush()
            stored = Counter(exposures_since(self.sessions, _first_day(self.window_days)))
            with self._lock:
                self._counts = stored + self._pending  # recorded since the flush, not yet stored
                self._key = None  # the per-row array is rebuilt on the next request
        finally:
            self._synced = time.monotonic()
            self._syncing.clear()
