"""Generate the demo organization: a seeded, deterministic bundle plus its planted truth.

The same seed and size always give the same bytes: every random draw comes from a
generator seeded with (seed, purpose), and the timeline ends at a fixed date.
"""

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.demo import phrases
from service.demo.activity import Draft, generate_activity
from service.demo.people import Cast, plan_people
from service.demo.plan import SIZES, Size
from service.demo.profiles import Profiles, build_profiles
from service.demo.vocabulary import COMMUNITIES, CommunitySpec, Topic, all_topics

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
BUNDLE_FILES = ("communities", "members", "memberships", "contributions")
SAMPLE_QUESTIONS = 5
MAX_DRAWS = 1000
EXPERT_ROLE_SHARE = 0.5


@dataclass(frozen=True)
class DemoOrganization:
    """Bundle records (spec: bundle-format.md) and the truth planted in them."""

    communities: list[dict[str, Any]]
    members: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    contributions: list[dict[str, Any]]
    truth: dict[str, Any]

    def write_bundle(self, path: Path) -> None:
        """Write the four bundle files and truth.json into the folder `path` (created if needed)."""
        path.mkdir(parents=True, exist_ok=True)
        for name in BUNDLE_FILES:
            _write_jsonl(path / f"{name}.jsonl", getattr(self, name))
        text = json.dumps(self.truth, ensure_ascii=False, indent=1) + "\n"
        (path / "truth.json").write_text(text, encoding="utf-8")


def generate_demo(seed: int = 7, size: Size = "default") -> DemoOrganization:
    """Generate the demo organization of `size` ("small" for tests, "default" for `make run`).

    Args:
        seed: every random choice derives from it; equal seeds give identical bundles.
        size: "small" (~120 members, ~900 contributions) or "default" (~300, ~3,500).
    Returns:
        The organization's bundle records and planted truth.
    """
    if size not in SIZES:
        raise ValueError(f"demo size must be one of {sorted(SIZES)}, not {size!r}")
    plan = SIZES[size]
    topics = all_topics()
    cast = plan_people(random.Random(f"{seed}:people"), plan)
    drafts = generate_activity(random.Random(f"{seed}:activity"), cast, plan, topics)
    contributions = _contribution_records(drafts)
    profiles = build_profiles(random.Random(f"{seed}:members"), cast, drafts)
    truth = _truth(random.Random(f"{seed}:truth"), seed, size, cast, profiles, contributions)
    return DemoOrganization(
        communities=[_community_record(c) for c in COMMUNITIES],
        members=profiles.records,
        memberships=_memberships(random.Random(f"{seed}:memberships"), cast, contributions),
        contributions=contributions,
        truth=truth,
    )


def load_truth(path: Path) -> dict[str, Any]:
    """The planted truth of a written demo bundle: its truth.json, or the bundle folder."""
    if path.is_dir():
        path = path / "truth.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from error


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """One JSON object per line, UTF-8, newline-terminated."""
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")


def _community_record(community: CommunitySpec) -> dict[str, Any]:
    """A community in bundle format; its tags are its topic ids."""
    return {
        "id": community.id,
        "name": community.name,
        "description": community.description,
        "tags": [t.id for t in community.topics],
    }


def _contribution_records(drafts: list[Draft]) -> list[dict[str, Any]]:
    """Drafts in time order with ids c00001, ... and parents resolved to ids."""
    ordered = sorted(drafts, key=lambda d: (d.created_at, d.key))
    ids = {draft.key: f"c{number:05d}" for number, draft in enumerate(ordered, start=1)}
    records = []
    for draft in ordered:
        record = {
            "id": ids[draft.key],
            "author_id": draft.author_id,
            "kind": draft.kind,
            "created_at": draft.created_at.strftime(TIME_FORMAT),
            "community_id": draft.community_id,
            "title": draft.title,
            "body": draft.body,
            "accepted": draft.accepted,
            "score": draft.score,
            "tags": draft.tags,
        }
        if draft.parent is not None:
            record["parent_id"] = ids[draft.parent]
        records.append(record)
    return records


def _memberships(rng: random.Random, cast: Cast, contributions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Declared memberships plus those implied by contributing; coordinators and experts marked."""
    joined: dict[tuple[str, str], str] = {}
    for person in cast.people:
        for community_id in person.communities:
            joined[(person.id, community_id)] = person.start.strftime(TIME_FORMAT)
    counts: dict[tuple[str, str], int] = {}
    for record in contributions:
        key = (record["author_id"], record["community_id"])
        joined.setdefault(key, record["created_at"])
        counts[key] = counts.get(key, 0) + 1
    coordinators = _coordinators(cast, counts)
    community_of = {t.id: c.id for c in COMMUNITIES for t in c.topics}
    records = []
    for member_id, community_id in sorted(joined):
        person = cast.by_id[member_id]
        role = "member"
        if coordinators.get(community_id) == member_id:
            role = "coordinator"
        elif any(community_of[t] == community_id for t in person.expert_topics):
            role = "expert" if rng.random() < EXPERT_ROLE_SHARE else "member"
        records.append(
            {
                "member_id": member_id,
                "community_id": community_id,
                "joined_at": joined[(member_id, community_id)],
                "role": role,
            }
        )
    return records


def _coordinators(cast: Cast, counts: dict[tuple[str, str], int]) -> dict[str, str]:
    """Per community, the core member at home there with the most contributions in it."""
    coordinators = {}
    for community in COMMUNITIES:
        core = [p.id for p in cast.people if p.home == community.id and p.level == "core"]
        if core:
            coordinators[community.id] = max(core, key=lambda m: (counts.get((m, community.id), 0), m))
    return coordinators


def _truth(
    rng: random.Random,
    seed: int,
    size: str,
    cast: Cast,
    profiles: Profiles,
    contributions: list[dict[str, Any]],
) -> dict[str, Any]:
    """What was planted: experts per topic, newcomers, hidden members, managers, claims, and the
    topic at risk (one fading expert, the rising members who could take it over), the questions
    still unanswered."""
    asked = {(r["title"], r["body"]) for r in contributions if r["kind"] == "question"}
    newcomers = [p for p in cast.people if p.level == "newcomer"]
    return {
        "seed": seed,
        "size": size,
        "topics": {
            topic.id: {
                "community_id": community.id,
                "name": topic.name,
                "terms": list(topic.terms),
                "experts": cast.experts[topic.id],
                "stale_experts": cast.stale[topic.id],
                "sample_questions": _held_out_questions(rng, community, topic, asked),
            }
            for community, topic in all_topics()
        },
        "newcomers": {p.id: {"interests": p.interests, "goals": profiles.goals[p.id]} for p in newcomers},
        "non_discoverable": [p.id for p in cast.people if not p.discoverable],
        "managers": {p.id: p.manager_id for p in cast.people if p.manager_id},
        "false_skill_claims": profiles.false_skill_claims,
        "boundary_spanners": cast.spanners,
        "levels": {p.id: p.level for p in cast.people},
        "topic_at_risk": cast.fading,
        "unanswered_questions": _unanswered(contributions),
    }


def _unanswered(contributions: list[dict[str, Any]]) -> list[str]:
    """Ids of the questions nobody has answered."""
    answered = {r.get("parent_id") for r in contributions if r["kind"] == "answer"}
    return [r["id"] for r in contributions if r["kind"] == "question" and r["id"] not in answered]


def _held_out_questions(
    rng: random.Random, community: CommunitySpec, topic: Topic, asked: set[tuple[str, str]]
) -> list[str]:
    """Questions on the topic ("title\\nbody") that the bundle does not contain."""
    questions: list[str] = []
    for _ in range(MAX_DRAWS):
        item = rng.choice(topic.tasks + topic.problems)
        title, body = phrases.question(rng, phrases.thread_slots(rng, community, topic, item))
        text = f"{title}\n{body}"
        if (title, body) not in asked and text not in questions:
            questions.append(text)
        if len(questions) == SAMPLE_QUESTIONS:
            return questions
    raise RuntimeError(f"could not draw {SAMPLE_QUESTIONS} new questions on topic {topic.id}")
