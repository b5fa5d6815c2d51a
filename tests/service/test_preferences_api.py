"""PATCH /v1/members/{id}/preferences and the live layer, in one process over the demo organization."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete

from store.db import open_store, transaction
from store.importers.bundle import import_bundle
from store.preferences import bump_revision, today
from store.tables import MemberPreference
from tests.service.appearances import SHOWN_IN, shown_everywhere, shown_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sessions(demo):  # type: ignore[no-untyped-def]
    return open_store(demo[0])


def _patch(client, headers, member_id, **changes):  # type: ignore[no-untyped-def]
    return client.patch(f"/v1/members/{member_id}/preferences", json=changes, headers=headers)


@pytest.fixture(autouse=True)
def reset(sessions, app_client):  # type: ignore[no-untyped-def]
    """Every test ends with no member preferences, served at once (not a second later) to the next."""
    yield
    with transaction(sessions) as session:
        session.execute(delete(MemberPreference))
        bump_revision(session)
    app_client.app.state.context.holder.invalidate()


@pytest.fixture(scope="module")
def target(app_client, keys, demo):  # type: ignore[no-untyped-def]
    """(member, question, topic community, newcomers): a planted expert every route shows once they mentor."""
    return shown_everywhere(app_client, {"Authorization": f"Bearer {keys['admin']}"}, demo[1])


def _mentoring(client, admin, member):  # type: ignore[no-untyped-def]
    assert _patch(client, admin, member, mentor_capacity=5).status_code == 200


def test_opting_out_hides_a_member_from_every_route_at_once(
    app_client, reader, admin, target, member_headers
) -> None:
    member, question, _, newcomers = target
    _mentoring(app_client, admin, member)
    own = member_headers(member)
    assert shown_in(app_client, reader, member, question, newcomers) == set(SHOWN_IN)

    response = _patch(app_client, own, member, discoverable=False)
    assert response.status_code == 200, response.text
    assert response.json()["discoverable"] is False
    assert shown_in(app_client, reader, member, question, newcomers) == set()
    mine = app_client.get(f"/v1/members/{member}", headers=own)
    assert mine.status_code == 200 and mine.json()["preferences"]["discoverable"] is False
    assert app_client.get(f"/v1/members/{member}", headers=admin).status_code == 200
    assert app_client.get(f"/v1/members/{member}", headers=reader).json()["error"]["code"] == "not_found"

    assert _patch(app_client, own, member, discoverable=True).status_code == 200
    assert shown_in(app_client, reader, member, question, newcomers) == set(SHOWN_IN)


def test_an_away_member_is_not_recommended_until_the_date(app_client, reader, admin, target) -> None:
    member, question, _, newcomers = target
    _mentoring(app_client, admin, member)
    back = today() + timedelta(days=3)
    body = _patch(app_client, admin, member, away_until=back.isoformat()).json()
    assert body["away"] is True and body["away_until"] == back.isoformat()
    # away is not opted out: the profile and their name on past solutions stay
    assert shown_in(app_client, reader, member, question, newcomers) == {"member", "solutions"}
    assert _patch(app_client, admin, member, away_until=today().isoformat()).json()["away"] is False
    assert shown_in(app_client, reader, member, question, newcomers) == set(SHOWN_IN)


def test_a_hidden_topic_stops_recommendations_for_it(app_client, reader, admin, target) -> None:
    member, question, community, _ = target

    def experts(**extra):  # type: ignore[no-untyped-def]
        body = {"text": question, "k": 10, **extra}
        return app_client.post("/v1/experts", json=body, headers=reader).json()["experts"]

    assert member in {e["member_id"] for e in experts(community_id=community)}
    body = _patch(app_client, admin, member, hidden_topics=[community]).json()
    assert body["hidden_topics"] == [community]
    assert member not in {e["member_id"] for e in experts(community_id=community)}
    for expert in experts():  # elsewhere only their other work counts, never shown next to them
        if expert["member_id"] == member:
            assert all(e["community_id"] != community for e in expert["evidence"])
    solutions = app_client.post("/v1/solutions", json={"text": question, "k": 20}, headers=reader).json()
    assert all(s["author_id"] != member for s in solutions["solutions"] if s["community_id"] == community)


def test_only_the_member_or_an_admin_may_change_preferences(
    app_client, reader, admin, target, member_headers
) -> None:
    member = target[0]
    other = member_headers("m001" if member != "m001" else "m002")
    for headers in (reader, other):
        response = _patch(app_client, headers, member, discoverable=False)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
        assert app_client.get(f"/v1/members/{member}", headers=headers).json()["preferences"] is None
    assert _patch(app_client, admin, "nobody", discoverable=False).status_code == 404
    for bad in (
        {"discoverable": "no"},
        {"mentor_capacity": 1000},
        {"hidden_topics": ["no-such-community"]},
        {"discoverable": False, "community": "x"},
    ):
        response = _patch(app_client, admin, member, **bad)
        assert response.status_code == 422, (bad, response.text)
    assert app_client.get(f"/v1/members/{member}", headers=reader).status_code == 200  # nothing applied


def test_a_later_import_neither_overwrites_preferences_nor_waits_for_an_index(
    app_client, reader, admin, target, demo, sessions, tmp_path
) -> None:
    settings, _ = demo
    member = target[0]
    assert _patch(app_client, admin, member, hidden_topics=[target[2]], mentor_capacity=2).status_code == 200
    import_bundle(sessions, settings.home / "bundle")
    kept = app_client.get(f"/v1/members/{member}", headers=admin).json()["preferences"]
    assert kept["hidden_topics"] == [target[2]] and kept["mentor_capacity"] == 2

    # the organization's export now says the member opted out: served at once, without `copmatch index`
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for part in (settings.home / "bundle").glob("*.jsonl"):
        lines = part.read_text().splitlines()
        if part.name == "members.jsonl":
            rows = [json.loads(line) for line in lines]
            lines = [json.dumps({**r, "discoverable": r["id"] != member}) for r in rows]
        (bundle / part.name).write_text("\n".join(lines) + "\n")
    try:
        import_bundle(sessions, bundle)
        deadline = time.monotonic() + 2
        while app_client.get(f"/v1/members/{member}", headers=reader).status_code == 200:
            assert time.monotonic() < deadline, "the import's opt-out was not served within 2 s"
            time.sleep(0.1)
    finally:
        import_bundle(sessions, settings.home / "bundle")
