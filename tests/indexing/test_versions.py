"""failures and kills leave the previous version current; lock; rollback; retention."""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

import indexing.job
import indexing.versions
from indexing.job import last_build, run_index
from indexing.versions import (
    IndexLockedError,
    IndexVersionError,
    current_dir,
    current_version,
    list_versions,
    prune,
    rollback,
    switch_current,
    write_manifest,
)
from models.lexical import LexicalIndex
from models.snapshot import Snapshot
from store.tables import IndexBuild
from tests.indexing.fakes import FakeEncoder, edit

REPO = Path(__file__).resolve().parents[2]


def _build_versions(settings, sessions, count: int) -> None:
    """Publish `count` versions, editing one contribution between builds."""
    for n in range(count):
        if n:
            edit(sessions, "a1x", f"revision {n}", minutes=n)
        run_index(settings, encoder=FakeEncoder(), progress=False)


def _assert_v1_current_and_clean(index_dir: Path) -> None:
    assert current_dir(index_dir) == index_dir / "v000001"
    assert Snapshot.load(index_dir / "v000001").version == 1
    assert list_versions(index_dir) == [1]
    assert not list(index_dir.glob(".build-*")) and not (index_dir / "CURRENT.tmp").exists()


@pytest.mark.parametrize("step", ["lexical save", "manifest write", "checksum mismatch"])
def test_failure_mid_write_keeps_previous_version_current(settings, sessions, monkeypatch, step):
    _build_versions(settings, sessions, 1)
    edit(sessions, "a2x", "changed")

    def fail(*args, **kwargs):
        raise OSError(f"injected failure in {step}")

    def wrong_checksum(directory, manifest, linked=None):
        written = write_manifest(directory, manifest, linked)
        written["files"]["c_embeddings.npy"] = "0" * 64
        (directory / "manifest.json").write_text(json.dumps(written))
        return written

    if step == "lexical save":
        monkeypatch.setattr(LexicalIndex, "save", fail)
    elif step == "manifest write":
        monkeypatch.setattr(indexing.versions, "write_manifest", fail)
    else:
        monkeypatch.setattr(indexing.versions, "write_manifest", wrong_checksum)
    with pytest.raises((OSError, IndexVersionError)):
        run_index(settings, encoder=FakeEncoder(), progress=False)

    _assert_v1_current_and_clean(settings.index_dir)
    with sessions() as session:
        failed = session.scalars(select(IndexBuild).where(IndexBuild.status == "failed")).one()
        assert failed.error and failed.finished_at is not None
    monkeypatch.undo()
    assert run_index(settings, encoder=FakeEncoder(), progress=False).version == 2
    assert current_dir(settings.index_dir) == settings.index_dir / "v000002"


KILLED_RUN = """
import os, signal
from indexing.job import last_build, run_index
from models.lexical import LexicalIndex
from store.settings import Settings
from tests.indexing.fakes import FakeEncoder
LexicalIndex.save = lambda self, directory: os.kill(os.getpid(), signal.SIGKILL)
run_index(Settings(home={home!r}, _env_file=None), encoder=FakeEncoder(), progress=False)
"""


def test_killed_run_leaves_previous_current_and_next_run_recovers(settings, sessions):
    _build_versions(settings, sessions, 1)
    edit(sessions, "a2x", "changed")
    script = KILLED_RUN.format(home=str(settings.home))
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    died = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, timeout=120)
    assert died.returncode == -9

    index_dir = settings.index_dir
    assert current_dir(index_dir) == index_dir / "v000001"
    assert len(list(index_dir.glob(".build-*"))) == 1  # the half-written build
    assert run_index(settings, encoder=FakeEncoder(), progress=False).version == 2
    assert not list(index_dir.glob(".build-*"))
    with sessions() as session:
        statuses = session.scalars(select(IndexBuild.status).order_by(IndexBuild.id)).all()
        interrupted = session.scalars(select(IndexBuild).where(IndexBuild.id == 2)).one()
    assert statuses == ["done", "failed", "done"]
    assert interrupted.error.startswith("interrupted")


def test_held_lock_refuses_at_once(settings, sessions):
    settings.index_dir.mkdir(parents=True)
    with open(settings.index_dir / ".lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder.write("4242")
        holder.flush()
        with pytest.raises(IndexLockedError, match=r"another indexing run holds .*\.lock \(pid 4242\)"):
            run_index(settings, encoder=FakeEncoder(), progress=False)
        with pytest.raises(IndexLockedError):
            rollback(settings.index_dir)
    assert run_index(settings, encoder=FakeEncoder(), progress=False).version == 1


def test_rollback_returns_to_previous_and_next_build_gets_a_new_number(settings, sessions):
    _build_versions(settings, sessions, 3)
    index_dir = settings.index_dir

    assert rollback(index_dir) == 2
    assert (index_dir / "CURRENT").read_text().strip() == "v000002"
    assert Snapshot.load(current_dir(index_dir)).version == 2
    assert rollback(index_dir) == 1
    with pytest.raises(IndexVersionError, match="no version older than v000001"):
        rollback(index_dir)
    edit(sessions, "a1x", "after rollback", minutes=50)
    assert run_index(settings, encoder=FakeEncoder(), progress=False).version == 4


def test_retention_keeps_the_newest_versions(settings, sessions):
    _build_versions(settings, sessions, 5)
    assert list_versions(settings.index_dir) == [3, 4, 5]  # keep_versions = 3


def _fake_versions(index_dir: Path, count: int) -> None:
    for version in range(1, count + 1):
        directory = index_dir / f"v{version:06d}"
        directory.mkdir(parents=True)
        (directory / "manifest.json").write_text("{}")


def test_prune_never_removes_current_or_its_predecessor(tmp_path):
    _fake_versions(tmp_path, 6)
    switch_current(tmp_path, 2)
    assert prune(tmp_path, keep=2) == [3, 4]
    assert list_versions(tmp_path) == [1, 2, 5, 6]
    assert current_version(tmp_path) == 2


def test_current_dir_ignores_a_dangling_current(tmp_path):
    assert current_dir(tmp_path) is None
    (tmp_path / "CURRENT").write_text("v000009\n")
    assert current_dir(tmp_path) is None
    with pytest.raises(IndexVersionError, match="no complete version"):
        switch_current(tmp_path, 9)


KILLED_AFTER_PUBLISH = """
import os, signal
import indexing.job
from indexing.job import last_build, run_index
from store.settings import Settings
from tests.indexing.fakes import FakeEncoder
make_room = indexing.job.prune
def prune(index_dir, keep, publishing=False):
    if not publishing:
        os.kill(os.getpid(), signal.SIGKILL)  # published, not yet cleaned up nor recorded
    return make_room(index_dir, keep, publishing)
indexing.job.prune = prune
run_index(Settings(home={home!r}, keep_versions=3, _env_file=None), encoder=FakeEncoder(), progress=False)
"""


def test_kill_between_publish_and_cleanup_keeps_retention_and_shows_no_running_build(settings, sessions):
    _build_versions(settings, sessions, 3)
    edit(sessions, "a2x", "changed after three builds", minutes=30)
    script = KILLED_AFTER_PUBLISH.format(home=str(settings.home))
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    died = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, timeout=120)
    assert died.returncode == -9
    assert current_version(settings.index_dir) == 4
    assert list_versions(settings.index_dir) == [2, 3, 4]  # keep_versions = 3, even killed
    assert last_build(sessions, settings.index_dir)["status"] == "interrupted"
    with sessions() as session:
        assert session.scalars(select(IndexBuild.status).order_by(IndexBuild.id.desc())).first() == "running"


def test_prune_before_publishing_makes_room_for_one(tmp_path):
    _fake_versions(tmp_path, 4)
    switch_current(tmp_path, 4)
    assert prune(tmp_path, keep=3, publishing=True) == [1, 2]
    assert list_versions(tmp_path) == [3, 4]
    assert prune(tmp_path, keep=1, publishing=True) == [3]
    assert list_versions(tmp_path) == [4]


def test_unchanged_files_are_linked_to_the_previous_version_not_rewritten(settings, sessions):
    settings = settings.model_copy(update={"keep_versions": 1, "refit_share": 0.05})
    _build_versions(settings, sessions, 2)  # the second keeps the fits: the same query encoder
    first, second = settings.index_dir / "v000001", settings.index_dir / "v000002"
    linked = [p.name for p in second.iterdir() if p.stat().st_ino == (first / p.name).stat().st_ino]
    assert {"query_encoder.npz", "query_vocabulary.json", "ranker.json", "c_author.npy"} <= set(linked)
    assert "c_embeddings.npy" not in linked and "manifest.json" not in linked
    assert indexing.versions.verify(second)["files"] == indexing.versions._checksums(second)  # listed right

    edit(sessions, "a2x", "pruned", minutes=9)
    run_index(settings, encoder=FakeEncoder(), progress=False)  # v1 is pruned, v2 and v3 share files
    assert list_versions(settings.index_dir) == [2, 3]
    for directory in (second, settings.index_dir / "v000003"):
        indexing.versions.verify(directory)


def test_a_full_build_links_nothing(settings, sessions):
    run_index(settings, encoder=FakeEncoder(), progress=False)
    run_index(settings, full=True, encoder=FakeEncoder(), progress=False)
    assert all(p.stat().st_nlink == 1 for p in (settings.index_dir / "v000002").iterdir())
