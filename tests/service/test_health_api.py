"""GET /v1/communities/{id}/health and the member's topics on the small demo organization."""

import json
from collections import defaultdict
from datetime import datetime

COMMUNITY = "data-engineering"


def _contributors_per_quarter(bundle) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Authors per quarter in COMMUNITY, straight from the bundle file."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in (bundle / "contributions.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record["community_id"] == COMMUNITY:
            moment = datetime.strptime(record["created_at"], "%Y-%m-%dT%H:%M:%SZ")
            found[f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"].add(record["author_id"])
    return found


def test_quarterly_levels_add_up_to_the_members_who_contributed_then(app_client, reader, demo) -> None:
    settings, _ = demo
    body = app_client.get(f"/v1/communities/{COMMUNITY}/health", headers=reader).json()
    expected = _contributors_per_quarter(settings.home / "bundle")
    quarters = {q["quarter"]: q for q in body["quarters"] if q["contributors"]}
    assert set(quarters) == set(expected)
    for label, quarter in quarters.items():
        levels = quarter["core"] + quarter["active"] + quarter["peripheral"] + quarter["newcomer"]
        assert levels == quarter["contributors"] == len(expected[label])
    first = body["quarters"][0]
    assert first["newcomer"] == first["contributors"]  # nobody contributed before the first quarter
    cohorts = body["newcomer_progression"]["cohorts"]
    assert sum(c["newcomers"] for c in cohorts) == len(set().union(*expected.values()))
    assert all(0 <= c["progressed"] <= c["newcomers"] for c in cohorts)


def test_health_lists_named_topics_with_experts_and_the_unanswered_questions(
    app_client, reader, demo
) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    body = app_client.get(f"/v1/communities/{COMMUNITY}/health", headers=reader).json()
    assert len(body["topics"]) >= 2 and all(t["name"] for t in body["topics"])
    named = {p["member_id"] for t in body["topics"] for p in t["experts"] + t["growers"]}
    assert named and not named & hidden
    assert {t["topic_id"] for t in body["topics_at_risk"]} <= {t["topic_id"] for t in body["topics"]}
    assert body["unanswered"]["count"] >= len(body["unanswered"]["questions"]) > 0
    assert sum(body["levels_now"].values()) > 0


def test_member_topics_are_the_health_reports_topic_names(app_client, reader, demo) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    expert = next(e for t in truth["topics"].values() for e in t["experts"] if e not in hidden)
    topics = app_client.get(f"/v1/members/{expert}", headers=reader).json()["topics"]
    assert topics
    for topic in topics:
        health = app_client.get(f"/v1/communities/{topic['community_id']}/health", headers=reader).json()
        assert topic["topic"] in {t["name"] for t in health["topics"]}


def test_health_of_an_unknown_community_is_404(app_client, reader) -> None:
    response = app_client.get("/v1/communities/nowhere/health", headers=reader)
    assert response.status_code == 404 and "nowhere" in response.json()["error"]["message"]


def _planted_topic(bundle, topic: dict) -> str:  # type: ignore[no-untyped-def]
    """The planted topic most of a found topic's example questions are tagged with."""
    tags = {}
    for line in (bundle / "contributions.jsonl").read_text().splitlines():
        record = json.loads(line)
        tags[record["id"]] = record["tags"][0] if record["tags"] else ""
    found = [tags[e["contribution_id"]] for e in topic["examples"]]
    return max(set(found), key=found.count)


def test_the_fading_experts_topic_is_at_risk_and_the_risers_could_grow_into_it(
    app_client, reader, demo
) -> None:
    settings, truth = demo
    planted = truth["topic_at_risk"]
    body = app_client.get(f"/v1/communities/{planted['community_id']}/health", headers=reader).json()
    found = {t["topic_id"]: _planted_topic(settings.home / "bundle", t) for t in body["topics"]}
    risky = [t for t in body["topics"] if found[t["topic_id"]] == planted["topic_id"]]
    assert any(  # found whole on 9 of 10 seeds (docs/continuity.md); one part at least shows it
        topic["at_risk"]  # held by one or two, or mostly by members gone quiet: either is the risk
        and [p["member_id"] for p in topic["experts"]][:1] == [planted["fading_expert"]]
        and set(planted["rising_members"]) <= {p["member_id"] for p in topic["growers"]}
        for topic in risky
    )
    healthy = [
        t
        for t in body["topics"]
        if len(truth["topics"][found[t["topic_id"]]]["experts"]) >= 2
        and not truth["topics"][found[t["topic_id"]]]["stale_experts"]
    ]
    assert healthy and not any(t["at_risk"] for t in healthy)
