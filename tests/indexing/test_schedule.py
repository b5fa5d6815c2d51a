"""Interval parsing and the --every loop (failures are logged and the loop goes on)."""

import logging

import pytest

from indexing.schedule import parse_interval, run_every


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1.5m", 90)])
def test_parse_interval(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["15", "m", "0s", "-1m", "2d", "15 minutes"])
def test_parse_interval_rejects(text):
    with pytest.raises(ValueError, match="positive number followed by s, m or h"):
        parse_interval(text)


def test_run_every_logs_failures_and_goes_on(caplog):
    calls, sleeps = [], []

    def job():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("store unavailable")

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    with caplog.at_level(logging.ERROR), pytest.raises(KeyboardInterrupt):
        run_every(60, job, sleep=sleep)
    assert len(calls) == 3
    assert all(0 < s <= 60 for s in sleeps)
    assert "store unavailable" in caplog.text
