"""Load-spreading counts: kept per member and day, shared through the store between processes."""

import time

from service import exposure
from service.exposure import ExposureTracker
from tests.models.tiny_snapshot import tiny_snapshot, unit

SNAPSHOT = tiny_snapshot([{"author": 0, "kind": "answer", "vector": unit(1, 0), "text": "x"}], ["ana", "bo"])


def test_counts_reach_the_array_of_member_rows(sessions) -> None:  # type: ignore[no-untyped-def]
    tracker = ExposureTracker(sessions, window_days=7)
    tracker.record(["bo", "bo", "ana", "unknown"])
    assert tracker.array_for(SNAPSHOT).tolist() == [1.0, 2.0]


def test_a_sync_shares_counts_between_trackers_of_one_store(sessions) -> None:  # type: ignore[no-untyped-def]
    first, second = ExposureTracker(sessions, 7), ExposureTracker(sessions, 7)
    first.record(["ana", "ana"])
    second.record(["bo"])
    first.sync()
    second.sync()
    assert second.array_for(SNAPSHOT).tolist() == [2.0, 1.0]
    first.sync()
    assert first.array_for(SNAPSHOT).tolist() == [2.0, 1.0]
    assert ExposureTracker(sessions, 7).array_for(SNAPSHOT).tolist() == [2.0, 1.0]  # a restart


def test_recording_syncs_in_the_background_when_due(sessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(exposure, "SYNC_SECONDS", 0.0)
    ExposureTracker(sessions, 7).record(["bo"])
    for _ in range(100):
        if ExposureTracker(sessions, 7).array_for(SNAPSHOT).tolist() == [0.0, 1.0]:
            return
        time.sleep(0.05)
    raise AssertionError("the count never reached the store")
