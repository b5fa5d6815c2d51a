"""Load spreading: count how often each member is recommended over the last days."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from models.snapshot import Snapshot
from store.exposures import add_exposures, exposures_since


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


class ExposureTracker:
    """In-memory window of recommendation counts, flushed to the store in the background."""

    def __init__(self, sessions: sessionmaker[Session], window_days: float) -> None:
        self.sessions = sessions
        self.window_days = window_days
        self._lock = threading.Lock()
        self._pending: Counter[tuple[str, str]] = Counter()
        first = (datetime.now(UTC) - timedelta(days=window_days)).date().isoformat()
        self._counts: Counter[tuple[str, str]] = Counter(exposures_since(sessions, first))
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

    def array_for(self, snapshot: Snapshot) -> np.ndarray:
        """Recommendations per member row within the window (rebuilt per version and day)."""
        key = (snapshot.version, _today())
        with self._lock:
            if key != self._key:
                self._rebuild(snapshot)
                self._key = key
            return self._array.copy()

    def _rebuild(self, snapshot: Snapshot) -> None:
        """Sum the window's counts into an array aligned with the snapshot's member rows."""
        first = (datetime.now(UTC) - timedelta(days=self.window_days)).date().isoformat()
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
