"""The snapshot holder swaps in a new version off the request path."""

import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from indexing.versions import CURRENT, version_name
from service import snapshots
from service.snapshots import NoIndexError, SnapshotHolder


@pytest.fixture
def slow_second_version(tmp_path, monkeypatch) -> tuple[Path, threading.Event]:  # type: ignore[no-untyped-def]
    """An index dir with versions 1 and 2 (CURRENT: 1) whose version 2 loads only once released."""
    released = threading.Event()

    def load(directory: Path) -> SimpleNamespace:
        version = int(directory.name[1:])
        if version == 2:
            assert released.wait(10)
        return SimpleNamespace(version=version)

    monkeypatch.setattr(snapshots, "load_served", load)
    monkeypatch.setattr(snapshots, "read_manifest", lambda directory: {"version": int(directory.name[1:])})
    for version in (1, 2):
        (tmp_path / version_name(version)).mkdir()
    (tmp_path / CURRENT).write_text(version_name(1))
    return tmp_path, released


def test_a_new_version_loads_while_requests_keep_the_old_one(slow_second_version) -> None:  # type: ignore[no-untyped-def]
    index_dir, released = slow_second_version
    holder = SnapshotHolder(index_dir, check_every=0.0)
    assert holder.get().version == 1
    (index_dir / CURRENT).write_text(version_name(2))
    started = time.monotonic()
    assert [holder.get().version for _ in range(20)] == [1] * 20
    assert time.monotonic() - started < 1.0
    released.set()
    deadline = time.monotonic() + 5
    while holder.get().version != 2:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert holder.manifest == {"version": 2}


def test_no_published_version_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NoIndexError, match="copmatch index"):
        SnapshotHolder(tmp_path).get()


def test_an_unloadable_version_is_retried_once_per_check_interval(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    attempts: list[Path] = []

    def broken(directory: Path) -> None:
        attempts.append(directory)
        raise ValueError("holds index format 2, not 3")

    monkeypatch.setattr(snapshots.Snapshot, "load", broken)
    (tmp_path / version_name(1)).mkdir()
    (tmp_path / CURRENT).write_text(version_name(1))
    holder = SnapshotHolder(tmp_path, check_every=60.0)
    for _ in range(5):
        with pytest.raises(NoIndexError):
            holder.get()
    assert attempts == [tmp_path / version_name(1)]
