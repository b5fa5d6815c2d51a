"""Load-spreading counts: kept per member and day, shared through the store between processes."""

import time

from service.exposure import ExposureTracker
from tests.models.tiny_snapshot import tiny_snapshot, unit

SNAPSHOT = tiny_snapshot([{"author": 0, "kind": "answer", "vector": unit(1, 0), "text": "x"}], ["ana", "bo"])


def test_counts_reach_the_array_of_member_rows(sessions) -> None:  # type: ignore[no-untyped-def]
    tracker = ExposureTracker(sessions, window_days=7, sync_seconds=300)
    tracker.record(["bo", "bo", "ana", "unknown"])
    assert tracker.array_for(SNAPSHOT).tolist() == [1.0, 2.0]


def test_a_sync_shares_counts_between_trackers_of_one_store(sessions) -> None:  # type: ignore[no-untyped-def]
    first, second = ExposureTracker(sessions, 7, 300), ExposureTracker(sessions, 7, 300)
    first.record(["ana", "ana"])
    second.record(["bo"])
    first.sync()
    second.sync()
    assert second.array_for(SNAPSHOT).tolist() == [2.0, 1.0]
    first.sync()
    assert first.array_for(SNAPSHOT).tolist() == [2.0, 1.0]
    assert ExposureTracker(sessions, 7, 300).array_for(SNAPSHOT).tolist() == [2.0, 1.0]  # a restart


def test_recording_syncs_in_the_background_when_due(sessions) -> None:  # type: ignore[no-untyped-def]
    ExposureTracker(sessions, 7, sync_seconds=0).record(["bo"])
    _eventually(lambda: ExposureTracker(sessions, 7, 300).array_for(SNAPSHOT).tolist() == [0.0, 1.0])


def test_a_replica_that_only_reads_picks_up_the_others_counts(sessions) -> None:  # type: ignore[no-untyped-def]
    writer, reader = ExposureTracker(sessions, 7, 300), ExposureTracker(sessions, 7, sync_seconds=0)
    assert reader.totals() == {}
    writer.record(["ana", "ana", "bo"])
    writer.flush()
    _eventually(lambda: reader.totals() == {"ana": 2, "bo": 1})  # reading starts the due sync
    assert reader.array_for(SNAPSHOT).tolist() == [2.0, 1.0]


def _eventually(check) -> None:  # type: ignore[no-untyped-def]
    """Wait up to 5 s for `check()` to hold (a background sync runs in between)."""
    for _ in range(100):
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("the counts never arrived")
