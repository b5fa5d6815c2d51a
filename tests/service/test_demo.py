"""The demo organization: deterministic, sized for tests, with the planted truth it promises."""

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from service.cli import app
from service.demo.generator import DemoOrganization, generate_demo, load_truth
from store.db import open_store
from store.importers.bundle import import_bundle
from store.settings import Settings
from store.tables import Contribution, Member

FILES = ("communities", "members", "memberships", "contributions")
KINDS = {"question", "answer", "post", "comment", "document", "solution"}
STALE_BEFORE = "2024-10-31"


@pytest.fixture(scope="module")
def small() -> DemoOrganization:
    return generate_demo(seed=7, size="small")


def _topic_of(record: dict, by_id: dict[str, dict]) -> str:
    """The topic id of a contribution: its first tag, or its thread root's."""
    while not record["tags"]:
        record = by_id[record["parent_id"]]
    return record["tags"][0]


def _evidence(organization: DemoOrganization) -> dict[str, set[str]]:
    """Topics each member answered or wrote a solution or document on."""
    by_id = {c["id"]: c for c in organization.contributions}
    shown: dict[str, set[str]] = {}
    for record in organization.contributions:
        if record["kind"] in ("answer", "solution", "document"):
            shown.setdefault(record["author_id"], set()).add(_topic_of(record, by_id))
    return shown


def _core(organization: DemoOrganization) -> set[str]:
    """Ids of the members planted as core."""
    return {m for m, level in organization.truth["levels"].items() if level == "core"}


def test_same_seed_gives_identical_bundle_bytes(tmp_path: Path) -> None:
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "a")
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "b")
    for name in [f"{f}.jsonl" for f in FILES] + ["truth.json"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_another_seed_gives_another_organization(small: DemoOrganization) -> None:
    other = generate_demo(seed=8, size="small")
    assert other.contributions != small.contributions
    assert [m["name"] for m in other.members] != [m["name"] for m in small.members]
    experts = {t: v["experts"] for t, v in small.truth["topics"].items()}
    assert experts != {t: v["experts"] for t, v in other.truth["topics"].items()}


@pytest.mark.parametrize(
    ("size", "members", "low", "high"), [("small", 120, 800, 1000), ("default", 300, 3000, 4000)]
)
def test_counts_are_within_the_size_ranges(size: str, members: int, low: int, high: int) -> None:
    organization = generate_demo(seed=7, size=size)  # type: ignore[arg-type]
    assert len(organization.communities) == 8
    assert len(organization.members) == members
    assert low <= len(organization.contributions) <= high
    per_community = Counter(t["community_id"] for t in organization.truth["topics"].values())
    assert all(5 <= n <= 8 for n in per_community.values())
    kinds = Counter(c["kind"] for c in organization.contributions)
    assert kinds["question"] > kinds["solution"] > kinds["document"] > 0
    assert kinds["comment"] > 0


def test_unknown_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="demo size must be one of"):
        generate_demo(size="huge")  # type: ignore[arg-type]


def test_level_proportions_and_who_asks(small: DemoOrganization) -> None:
    levels = small.truth["levels"]
    shares = {level: n / len(levels) for level, n in Counter(levels.values()).items()}
    assert shares["core"] == pytest.approx(0.12, abs=0.02)
    assert shares["active"] == pytest.approx(0.30, abs=0.02)
    assert shares["newcomer"] == pytest.approx(0.10, abs=0.02)
    kinds = {level: Counter() for level in ("core", "active", "peripheral")}
    for record in small.contributions:
        kinds[levels[record["author_id"]]][record["kind"]] += 1
    assert kinds["peripheral"]["question"] > 3 * kinds["peripheral"]["answer"]
    assert kinds["core"]["answer"] > 3 * kinds["core"]["question"]


def test_every_topic_has_experts_who_give_most_accepted_answers(small: DemoOrganization) -> None:
    by_id = {c["id"]: c for c in small.contributions}
    accepted: dict[str, list[str]] = {}
    for record in small.contributions:
        if record["kind"] == "answer" and record["accepted"]:
            accepted.setdefault(_topic_of(record, by_id), []).append(record["author_id"])
    for topic_id, topic in small.truth["topics"].items():
        assert 1 <= len(topic["experts"]) <= 3, topic_id
        assert {small.truth["levels"][e] for e in topic["experts"]} <= {"core", "active"}
        by_experts = sum(author in topic["experts"] for author in accepted[topic_id])
        assert by_experts > len(accepted[topic_id]) / 2, topic_id


def test_timeline_ends_2026_10_31_and_former_experts_went_quiet(small: DemoOrganization) -> None:
    stale = {m for t in small.truth["topics"].values() for m in t["stale_experts"]}
    assert stale
    latest = {}
    for record in small.contributions:
        latest[record["author_id"]] = max(latest.get(record["author_id"], ""), record["created_at"])
    assert all(latest[m] < STALE_BEFORE for m in stale)
    times = sorted(c["created_at"] for c in small.contributions)
    assert "2023-10-31" <= times[0] < "2024-01-01" and "2026-09-01" < times[-1] <= "2026-11"


def test_accepted_and_expert_answers_score_higher(small: DemoOrganization) -> None:
    by_id = {c["id"]: c for c in small.contributions}
    topics = small.truth["topics"]
    answers = [c for c in small.contributions if c["kind"] == "answer"]

    def mean(scores: list[int]) -> float:
        return sum(scores) / len(scores)

    def knows(answer: dict) -> bool:
        topic = topics[_topic_of(answer, by_id)]
        return answer["author_id"] in topic["experts"] + topic["stale_experts"]

    accepted = mean([a["score"] for a in answers if a["accepted"]])
    other = [a for a in answers if not a["accepted"]]
    assert accepted > mean([a["score"] for a in other]) + 3
    by_experts = mean([a["score"] for a in other if knows(a)])
    assert by_experts > mean([a["score"] for a in other if not knows(a)]) + 1


def test_texts_name_their_topic_terms(small: DemoOrganization) -> None:
    by_id = {c["id"]: c for c in small.contributions}
    for record in small.contributions:
        if record["kind"] == "comment":
            continue
        terms = small.truth["topics"][_topic_of(record, by_id)]["terms"]
        text = f"{record['title']} {record['body']}".lower()
        assert any(term.lower() in text for term in terms), record


def test_newcomers_have_interests_and_goals_but_no_contributions(
    small: DemoOrganization,
) -> None:
    members = {m["id"]: m for m in small.members}
    authors = {c["author_id"] for c in small.contributions}
    newcomers = small.truth["newcomers"]
    assert len(newcomers) == 12
    for member_id, planted in newcomers.items():
        assert planted["interests"] and planted["goals"]
        assert member_id not in authors
        member = members[member_id]
        assert len(member["interests"]) == len(planted["interests"])
        assert planted["goals"] in member["profile"]
        assert member["mentor_capacity"] == 0


def test_a_true_expert_is_not_discoverable(small: DemoOrganization) -> None:
    hidden = set(small.truth["non_discoverable"])
    experts = {m for t in small.truth["topics"].values() for m in t["experts"]}
    assert hidden & experts
    assert {m["id"] for m in small.members if not m["discoverable"]} == hidden


def test_managers_exist_and_some_experts_manage_newcomers(small: DemoOrganization) -> None:
    members = {m["id"]: m for m in small.members}
    managers = small.truth["managers"]
    assert managers == {m["id"]: m["manager_id"] for m in small.members if m["manager_id"]}
    assert set(managers.values()) <= set(members)
    topics = small.truth["topics"]
    taught_by_manager = [
        member_id
        for member_id, planted in small.truth["newcomers"].items()
        if any(managers[member_id] in topics[t]["experts"] for t in planted["interests"])
    ]
    assert taught_by_manager


def test_false_skill_claims_have_no_evidence(small: DemoOrganization) -> None:
    claims = small.truth["false_skill_claims"]
    assert claims
    members = {m["id"]: m for m in small.members}
    shown = _evidence(small)
    for member_id, topic_ids in claims.items():
        assert small.truth["levels"][member_id] == "peripheral"
        assert not set(topic_ids) & shown.get(member_id, set())
        names = {small.truth["topics"][t]["name"] for t in topic_ids}
        assert names <= set(members[member_id]["skills"])


def test_boundary_spanners_contribute_in_several_communities(small: DemoOrganization) -> None:
    communities: dict[str, set[str]] = {}
    for record in small.contributions:
        communities.setdefault(record["author_id"], set()).add(record["community_id"])
    spanners = small.truth["boundary_spanners"]
    assert spanners
    assert all(len(communities[m]) >= 2 for m in spanners)


def test_sample_questions_are_held_out(small: DemoOrganization) -> None:
    asked = {f"{c['title']}\n{c['body']}" for c in small.contributions if c["kind"] == "question"}
    for topic in small.truth["topics"].values():
        assert len(topic["sample_questions"]) == 5
        assert not set(topic["sample_questions"]) & asked


def test_members_are_plausible(small: DemoOrganization) -> None:
    regions = Counter(m["timezone"].split("/")[0] for m in small.members)
    assert set(regions) == {"America", "Europe", "Asia"}
    assert len({m["email"] for m in small.members}) == len(small.members)
    for member in small.members:
        ZoneInfo(member["timezone"])
        assert member["languages"][0] == "English"
        assert 0 <= member["mentor_capacity"] <= 3
        if small.truth["levels"][member["id"]] == "peripheral":
            assert member["mentor_capacity"] == 0
    capacities = [m["mentor_capacity"] for m in small.members if m["id"] in _core(small)]
    assert sum(c > 0 for c in capacities) == len(capacities)


def test_bundle_lines_follow_the_format(small: DemoOrganization, tmp_path: Path) -> None:
    small.write_bundle(tmp_path)
    rows = {
        name: [
            json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        ]
        for name in FILES
    }
    communities = {r["id"] for r in rows["communities"]}
    members = {r["id"] for r in rows["members"]}
    contributions = {r["id"] for r in rows["contributions"]}
    assert {r["manager_id"] for r in rows["members"]} - {None} <= members
    assert {(r["member_id"], r["community_id"]) for r in rows["memberships"]} <= {
        (m, c) for m in members for c in communities
    }
    for record in rows["contributions"]:
        assert record["kind"] in KINDS
        assert record["author_id"] in members and record["community_id"] in communities
        assert record.get("parent_id", record["id"]) in contributions
        datetime.strptime(record["created_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert load_truth(tmp_path) == load_truth(tmp_path / "truth.json") == small.truth


def test_bundle_imports_into_a_store(small: DemoOrganization, tmp_path: Path) -> None:
    small.write_bundle(tmp_path / "bundle")
    sessions = open_store(Settings(home=tmp_path, _env_file=None))
    report = import_bundle(sessions, tmp_path / "bundle")
    assert report.tables["members"].added == len(small.members)
    assert report.tables["contributions"].added == len(small.contributions)
    with sessions() as session:
        hidden = session.scalars(select(Member.id).where(Member.discoverable.is_(False))).all()
        accepted = session.scalar(select(func.count()).select_from(Contribution).where(Contribution.accepted))
    assert set(hidden) == set(small.truth["non_discoverable"])
    assert accepted == sum(c["accepted"] for c in small.contributions)


def test_cli_imports_the_demo_then_if_empty_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--size", "small", "--out", str(tmp_path / "bundle")])
    assert first.exit_code == 0, first.output
    assert "members: 120 added" in first.output
    assert load_truth(tmp_path / "bundle")["size"] == "small"
    again = runner.invoke(app, ["demo", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "store already has 120 members: demo not imported" in again.output
    assert not (tmp_path / "demo-bundle").exists()
