"""The background reindex runs one job at a time."""

import threading

import pytest

from service.reindex import Reindexer, ReindexRunningError


def test_second_start_is_refused_while_running() -> None:
    release = threading.Event()
    runs: list[int] = []
    reindexer = Reindexer(lambda: runs.append(1) or release.wait(5))
    reindexer.start()
    with pytest.raises(ReindexRunningError):
        reindexer.start()
    release.set()
    reindexer.join(5)
    assert not reindexer.running
    reindexer.start()
    reindexer.join(5)
    assert runs == [1, 1]


def test_failed_job_is_reported_and_frees_the_slot(caplog) -> None:
    def broken() -> None:
        raise RuntimeError("disk full")

    reindexer = Reindexer(broken)
    reindexer.start()
    reindexer.join(5)
    assert "reindex failed" in caplog.text
    assert not reindexer.running
