"""Mentors, cohorts and mentorships over the demo organization's planted truth."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from models.cohort import assign_cohort, greedy_assignment
from store.db import open_store
from store.tables import Member

pytestmark = pytest.mark.slow
log = logging.getLogger(__name__)


def _mentors(client, headers, **body):  # type: ignore[no-untyped-def]
    response = client.post("/v1/mentors", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["mentors"]


@pytest.fixture(scope="module")
def capacity(demo) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """mentor_capacity of every member, from the store."""
    with open_store(demo[0])() as session:
        return dict(session.execute(select(Member.id, Member.mentor_capacity)).all())


def _knows(truth: dict, newcomer: str) -> set[str]:
    """The planted experts of the newcomer's interest topics."""
    topics = truth["newcomers"][newcomer]["interests"]
    return {e for t in topics for e in truth["topics"][t]["experts"]}


def _available(truth: dict, newcomer: str, capacity: dict[str, int]) -> set[str]:
    """Planted experts of the newcomer's interests who may mentor them."""
    return {
        e
        for e in _knows(truth, newcomer)
        if e not in truth["non_discoverable"]
        and e != truth["managers"].get(newcomer)
        and capacity[e] > 0
        and truth["levels"][e] in ("core", "active")
    }


def test_newcomers_get_mentors_who_know_their_interests(app_client, reader, demo, capacity) -> None:
    _, truth = demo
    hidden, managers = set(truth["non_discoverable"]), truth["managers"]
    first, shown, misses, manager_knows = 0, 0, [], 0
    newcomers = [n for n in truth["newcomers"] if _available(truth, n, capacity)]
    for newcomer in newcomers:
        mentors = _mentors(app_client, reader, member_id=newcomer, k=3)
        found = [m["member_id"] for m in mentors]
        assert newcomer not in found and managers.get(newcomer) not in found
        assert not set(found) & hidden
        assert all(0 < m["capacity_left"] <= capacity[m["member_id"]] for m in mentors)
        assert all(m["topics"] and m["topics"][0] in m["reason"] for m in mentors)
        manager_knows += managers.get(newcomer) in _knows(truth, newcomer)
        available = _available(truth, newcomer, capacity)
        first += found[0] in available
        shown += bool(available & set(found))
        if found[0] not in available:
            misses.append((newcomer, truth["newcomers"][newcomer]["interests"], found))
    log.warning(
        "of %d newcomers, a planted expert of their interests is the first mentor for "
        "%d and among the three shown for %d; first-place misses: %s",
        len(newcomers),
        first,
        shown,
        misses,
    )
    assert len(newcomers) >= 8
    assert manager_knows >= 1  # the manager rule is put to the test, not vacuous
    assert shown / len(newcomers) >= 0.9, misses
    assert first / len(newcomers) >= 0.6, misses


def test_a_free_text_of_goals_finds_the_topic_experts(app_client, reader, demo) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    topic = next(t for t in truth["topics"].values() if set(t["experts"]) - hidden)
    mentors = _mentors(app_client, reader, text=f"I want to learn {topic['name']}", k=5)
    assert set(topic["experts"]) & {m["member_id"] for m in mentors}
    assert topic["name"] in mentors[0]["topics"][0] or mentors[0]["topics"]


def test_mentor_requests_are_validated(app_client, reader) -> None:
    both = app_client.post("/v1/mentors", json={"member_id": "m001", "text": "x"}, headers=reader)
    assert both.status_code == 422
    assert "exactly one of member_id, text" in both.json()["error"]["message"]
    assert app_client.post("/v1/mentors", json={}, headers=reader).status_code == 422
    unknown = app_client.post("/v1/mentors", json={"member_id": "nobody"}, headers=reader)
    assert unknown.status_code == 404 and "nobody" in unknown.json()["error"]["message"]
    assert app_client.post("/v1/mentors", json={"text": "x"}).status_code == 401


def test_cohort_respects_capacity_and_never_assigns_the_manager(app_client, reader, demo, capacity) -> None:
    _, truth = demo
    newcomers = list(truth["newcomers"])
    response = app_client.post("/v1/mentors/cohort", json={"member_ids": newcomers}, headers=reader)
    assert response.status_code == 200, response.text
    body = response.json()
    assigned = {a["mentee_id"]: a["mentor_id"] for a in body["assignments"]}
    assert len(assigned) == len(body["assignments"])
    assert set(assigned) | {u["mentee_id"] for u in body["unmatched"]} == set(newcomers)
    load: dict[str, int] = {}
    for mentee, mentor in assigned.items():
        assert mentor != truth["managers"].get(mentee) and mentor not in truth["non_discoverable"]
        load[mentor] = load.get(mentor, 0) + 1
    assert all(load[m] <= capacity[m] for m in load)
    assert all(u["reason"] for u in body["unmatched"])
    knows = sum(assigned[m] in _available(truth, m, capacity) for m in assigned)
    log.warning("cohort: %d of %d newcomers get a planted expert of their interests", knows, len(newcomers))
    assert knows / len(newcomers) >= 0.6, (knows, len(newcomers))


def test_cohort_total_fit_is_at_least_greedy_on_the_demo(app_client) -> None:
    mentoring = app_client.app.state.context.mentoring
    members = mentoring.holder.get().members
    askers = [m for m, interests in zip(members.ids, members.interests, strict=True) if interests]
    cohort = mentoring.cohort_fit(askers)  # everyone with interests: places are contested
    best = assign_cohort(cohort.fit, cohort.capacity)
    greedy = greedy_assignment(cohort.fit, cohort.capacity)
    log.warning("cohort of %d: total fit %.3f vs greedy %.3f", len(askers), best.total_fit, greedy.total_fit)
    assert len(askers) > 20
    assert best.total_fit >= greedy.total_fit - 1e-6


def test_cohort_requests_are_validated(app_client, reader) -> None:
    empty = app_client.post("/v1/mentors/cohort", json={"member_ids": []}, headers=reader)
    assert empty.status_code == 422
    twice = app_client.post("/v1/mentors/cohort", json={"member_ids": ["m001", "m001"]}, headers=reader)
    assert twice.status_code == 422 and "repeat" in twice.json()["error"]["message"]


def _mentor_with_room(app_client, reader, truth, capacity):  # type: ignore[no-untyped-def]
    """(mentor id, a newcomer they are suggested for) with every place free."""
    for newcomer in truth["newcomers"]:
        for m in _mentors(app_client, reader, member_id=newcomer, k=5):
            if m["capacity_left"] == capacity[m["member_id"]]:
                return m["member_id"], newcomer
    raise AssertionError("no mentor with all places free")


def _patch(client, headers, mentorship_id, action):  # type: ignore[no-untyped-def]
    return client.patch(f"/v1/mentorships/{mentorship_id}", json={"action": action}, headers=headers)


def test_mentorship_lifecycle_capacity_and_past_mentors(
    app_client, reader, demo, capacity, member_headers
) -> None:
    _, truth = demo
    mentor, newcomer = _mentor_with_room(app_client, reader, truth, capacity)
    pair = {"mentor_id": mentor, "mentee_id": newcomer}
    assert app_client.post("/v1/mentorships", json=pair, headers=reader).status_code == 403  # nobody's key
    created = app_client.post("/v1/mentorships", json=pair, headers=member_headers(newcomer))
    assert created.status_code == 201 and created.json()["status"] == "proposed"
    mentorship = created.json()["id"]
    for who in (newcomer, mentor):  # both see it, pending
        mine = app_client.get("/v1/mentorships", headers=member_headers(who)).json()["mentorships"]
        assert mentorship in {m["id"] for m in mine}
        assert app_client.get(f"/v1/mentorships/{mentorship}", headers=member_headers(who)).status_code == 200
    stranger = member_headers(next(m for m in capacity if m not in (mentor, newcomer)))
    assert app_client.get(f"/v1/mentorships/{mentorship}", headers=stranger).status_code == 403
    assert mentorship not in {
        m["id"] for m in app_client.get("/v1/mentorships", headers=stranger).json()["mentorships"]
    }
    assert app_client.get("/v1/mentorships", headers=reader).status_code == 403
    again = _mentors(app_client, reader, member_id=newcomer, k=10)
    assert mentor not in {m["member_id"] for m in again}  # proposed once: not suggested again
    asked = _mentors(app_client, reader, member_id=newcomer, k=10, include_past=True)
    assert mentor in {m["member_id"] for m in asked}
    assert _patch(app_client, stranger, mentorship, "accept").status_code == 403
    accepted = _patch(app_client, member_headers(mentor), mentorship, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    left = {m["member_id"]: m["capacity_left"] for m in asked}[mentor]
    after = {
        m["member_id"]: m["capacity_left"]
        for m in _mentors(app_client, reader, member_id=newcomer, k=10, include_past=True)
    }
    assert after.get(mentor, 0) == left - 1
    wrong = _patch(app_client, member_headers(mentor), mentorship, "decline")
    assert wrong.status_code == 409
    assert "it is accepted, not proposed" in wrong.json()["error"]["message"]
    assert _patch(app_client, member_headers(newcomer), mentorship, "end").json()["status"] == "ended"
    assert _patch(app_client, member_headers(mentor), 999_999, "accept").status_code == 404


def test_an_opted_out_or_away_mentor_cannot_be_proposed(app_client, reader, admin, demo, capacity) -> None:
    _, truth = demo
    mentor, newcomer = _mentor_with_room(app_client, reader, truth, capacity)
    pair = {"mentor_id": mentor, "mentee_id": newcomer}
    preferences = f"/v1/members/{mentor}/preferences"
    try:
        for change, said in (({"discoverable": False}, "opted out"), ({"away_until": "2999-01-01"}, "away")):
            assert app_client.patch(preferences, json=change, headers=admin).status_code == 200
            refused = app_client.post("/v1/mentorships", json=pair, headers=admin)
            assert refused.status_code == 409 and said in refused.json()["error"]["message"], refused.text
            reset = {name: None for name in change}
            assert app_client.patch(preferences, json=reset, headers=admin).status_code == 200
        assert app_client.patch(preferences, json={"mentor_capacity": 0}, headers=admin).status_code == 200
        assert "does not mentor" in app_client.post("/v1/mentorships", json=pair, headers=admin).text
    finally:
        app_client.patch(preferences, json={"mentor_capacity": None}, headers=admin)


def test_concurrent_accepts_over_http_never_overbook(app_client, reader, admin, demo, capacity) -> None:
    _, truth = demo
    mentor, _ = _mentor_with_room(app_client, reader, truth, capacity)
    places = capacity[mentor]
    newcomers = set(truth["newcomers"])
    mentees = [m for m in capacity if m != mentor and m not in newcomers][: places + 4]
    ids = []
    for mentee in mentees:
        pair = {"mentor_id": mentor, "mentee_id": mentee}
        response = app_client.post("/v1/mentorships", json=pair, headers=admin)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        results = list(pool.map(lambda i: _patch(app_client, admin, i, "accept"), ids))
    codes = sorted(r.status_code for r in results)
    assert codes == [200] * places + [409] * (len(ids) - places)
    full = next(r for r in results if r.status_code == 409).json()["error"]["message"]
    assert f"mentor {mentor!r} is full" in full
    for r in results:
        if r.status_code == 200:
            _patch(app_client, admin, r.json()["id"], "end")
