"""`copmatch keys create|list|revoke|rotate`, member-bound keys and the kept demo key."""

import asyncio

import pytest
from typer.testing import CliRunner

from service.auth import KeyCache
from service.cli import app
from service.cli.serve import _demo_key
from store.db import open_store
from store.keys import find_key
from store.preferences import revision
from store.settings import Settings
from tests.store.bundles import write_bundle

runner = CliRunner()


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert runner.invoke(app, ["import", "bundle", str(write_bundle(tmp_path / "b"))]).exit_code == 0
    return Settings()


def _key(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_a_key_bound_to_a_member_acts_as_them(settings) -> None:
    key = _key(runner.invoke(app, ["keys", "create", "--role", "reader", "--name", "ann", "--member", "u1"]))
    assert find_key(open_store(settings), key) == ("ann", "reader", "u1")
    unknown = runner.invoke(app, ["keys", "create", "--role", "reader", "--name", "x", "--member", "nobody"])
    assert unknown.exit_code == 2 and "unknown member_id 'nobody'" in unknown.stderr
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0 and listed.stdout.split("\t")[:3] == ["ann", "reader", "u1"]
    assert key not in listed.stdout


def test_a_reused_name_names_the_ways_on_and_rotate_and_revoke_take_them(settings) -> None:
    old = _key(runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "ops"]))
    again = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "ops"])
    assert again.exit_code == 2
    assert "copmatch keys rotate ops" in again.stderr and "copmatch keys revoke ops" in again.stderr
    sessions = open_store(settings)
    assert find_key(sessions, old) is not None  # the refused create changed nothing

    new = _key(runner.invoke(app, ["keys", "rotate", "ops"]))
    assert new != old and find_key(sessions, old) is None
    assert find_key(sessions, new) == ("ops", "admin", None)

    assert runner.invoke(app, ["keys", "revoke", "ops"]).exit_code == 0
    assert find_key(sessions, new) is None
    gone = runner.invoke(app, ["keys", "revoke", "ops"])
    assert gone.exit_code == 2 and "no key named 'ops'" in gone.stderr


def test_the_service_forgets_a_revoked_key_when_the_live_revision_moves(settings) -> None:
    sessions = open_store(settings)
    key = _key(runner.invoke(app, ["keys", "create", "--role", "reader", "--name", "tmp"]))
    cache = KeyCache(sessions, lambda: revision(sessions))
    assert asyncio.run(cache.lookup(key)) is not None
    assert runner.invoke(app, ["keys", "revoke", "tmp"]).exit_code == 0
    assert asyncio.run(cache.lookup(key)) is None


def test_the_key_cache_keeps_at_most_its_size(settings) -> None:
    sessions = open_store(settings)
    key = _key(runner.invoke(app, ["keys", "create", "--role", "reader", "--name", "kept"]))
    cache = KeyCache(sessions, lambda: "same revision", size=2)
    for guess in ("wrong-1", "wrong-2", "wrong-3", key):
        asyncio.run(cache.lookup(guess))
    assert len(cache) == 2
    assert asyncio.run(cache.lookup(key)) is not None


def test_the_demo_key_of_an_earlier_run_is_kept(settings) -> None:
    first = _demo_key(settings)
    assert _demo_key(settings) == first  # a second `make run` prints the same, still valid key
    assert find_key(open_store(settings), first) == ("demo", "reader", None)
    assert (settings.home / "demo-key").stat().st_mode & 0o077 == 0
    runner.invoke(app, ["keys", "revoke", "demo"])
    second = _demo_key(settings)
    assert second != first and find_key(open_store(settings), second) is not None
