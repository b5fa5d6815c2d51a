"""`copmatch members erase|restore`: personal data removed, contributions re-attributed or deleted,
and an erased id kept out of later imports until restored."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from service.cli import app
from store.db import open_store
from store.erasure import PLACEHOLDER_ID
from store.keys import create_key, find_key
from store.mentorships import propose
from store.preferences import live_state, update_preferences
from store.settings import Settings
from store.tables import Contribution, Member, Membership
from tests.store.bundles import write_bundle

runner = CliRunner()


@pytest.fixture
def bundle(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    folder = write_bundle(tmp_path / "b")
    assert runner.invoke(app, ["import", "bundle", str(folder)]).exit_code == 0
    return folder


def _authors(sessions) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return dict(session.execute(select(Contribution.id, Contribution.author_id)).all())


def _member(sessions, member_id):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.get(Member, member_id)


def test_erasure_reattributes_and_survives_a_later_import_until_restored(bundle) -> None:
    sessions = open_store(Settings())
    key = create_key(sessions, name="ana", role="reader", member_id="u1")
    update_preferences(sessions, "u1", {"away_until": None, "mentor_capacity": 1})
    propose(sessions, "u3", "u1")
    result = runner.invoke(app, ["members", "erase", "u1"])
    assert result.exit_code == 0, result.output
    assert "2 contributions re-attributed" in result.stdout and "1 mentorships" in result.stdout
    assert _member(sessions, "u1") is None and find_key(sessions, key) is None
    assert _member(sessions, "u2").manager_id is None
    placeholder = _member(sessions, PLACEHOLDER_ID)
    assert placeholder.discoverable is False and placeholder.email is None
    assert _authors(sessions) == {"q1": "u2", "a1": PLACEHOLDER_ID, "c1": "u3", "d1": PLACEHOLDER_ID}
    assert "u1" in live_state(sessions).opted_out

    assert runner.invoke(app, ["import", "bundle", str(bundle)]).exit_code == 0  # the export still holds u1
    assert _member(sessions, "u1") is None
    assert _authors(sessions)["a1"] == PLACEHOLDER_ID
    with sessions() as session:
        assert not session.scalars(select(Membership).where(Membership.member_id == "u1")).all()
    again = runner.invoke(app, ["members", "erase", "u1"])
    assert again.exit_code == 2 and "erased already" in again.stderr

    assert runner.invoke(app, ["members", "restore", "u1"]).exit_code == 0
    assert runner.invoke(app, ["import", "bundle", str(bundle)]).exit_code == 0
    assert _member(sessions, "u1").name == "Ana" and _authors(sessions)["a1"] == "u1"
    assert "u1" not in live_state(sessions).opted_out


def test_erasure_with_contributions_deletes_them_and_keeps_them_deleted(bundle) -> None:
    sessions = open_store(Settings())
    assert runner.invoke(app, ["members", "erase", "u1", "--with-contributions"]).exit_code == 0
    assert _authors(sessions) == {"q1": "u2", "c1": "u3"}  # the reply to a1 stays
    imported = runner.invoke(app, ["import", "bundle", str(bundle)])
    assert imported.exit_code == 0, imported.output
    assert _authors(sessions) == {"q1": "u2", "c1": "u3"}
    assert live_state(sessions).erased == {"u1": True}


def test_erasing_an_unknown_member_exits_2(bundle) -> None:
    result = runner.invoke(app, ["members", "erase", "nobody"])
    assert result.exit_code == 2 and "unknown member_id 'nobody'" in result.stderr
    result = runner.invoke(app, ["members", "restore", "u2"])
    assert result.exit_code == 2 and "not erased" in result.stderr
