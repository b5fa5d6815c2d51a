"""Who the demo organization's people are: levels, communities, activity windows and roles.

This is the planted truth before any text exists: which members are core, active, peripheral
or newcomers, who the true (and the former, now quiet) experts of every topic are, who spans
communities, who manages whom and who is hidden from recommendations.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, TypedDict, TypeVar

from service.demo.plan import END, START, SizePlan
from service.demo.vocabulary import COMMUNITIES, CommunitySpec

Level = Literal["core", "active", "peripheral", "newcomer"]
LEVELS: tuple[Level, ...] = ("core", "active", "peripheral", "newcomer")
T = TypeVar("T")

CORE_SHARE = 0.12
ACTIVE_SHARE = 0.30
NEWCOMER_SHARE = 0.10
SPANNER_SHARE = 0.15
STALE_TOPIC_SHARE = 0.35
HIDDEN_SHARE = 0.02
EXPERTS_PER_TOPIC = {1: 3, 2: 5, 3: 2}
MAX_EXPERT_TOPICS = 3
KEEP_ACTIVE = 2
FADE_DAYS = 330  # the fading expert's last contribution, before the end
RISE_DAYS = 150  # the rising members are active at least this long before the end
RISERS = 2
SPAN = END - START


@dataclass
class Person:
    """One member as planned: level, communities (home first) and when they are active."""

    id: str
    level: Level
    communities: list[str]
    start: datetime
    end: datetime
    joined_at: datetime
    expert_topics: list[str] = field(default_factory=list)
    stale_topics: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    manager_id: str | None = None
    is_manager: bool = False
    discoverable: bool = True

    @property
    def home(self) -> str:
        """The community the member mainly belongs to."""
        return self.communities[0]

    @property
    def is_stale(self) -> bool:
        """A former expert who went quiet long ago."""
        return bool(self.stale_topics)

    def active_at(self, moment: datetime) -> bool:
        """Whether the member contributes at `moment`; newcomers never have."""
        return self.level != "newcomer" and self.start <= moment <= self.end

    def knows(self, topic_id: str) -> bool:
        """Whether the member is (or was) a planted expert on the topic."""
        return topic_id in self.expert_topics or topic_id in self.stale_topics


class FadingTopic(TypedDict, total=False):
    """The planted topic at risk (empty until planted): its one fading expert and the risers."""

    topic_id: str
    community_id: str
    fading_expert: str
    rising_members: list[str]


@dataclass
class Cast:
    """All planned members with the planted expertise per topic."""

    people: list[Person]
    experts: dict[str, list[str]]
    stale: dict[str, list[str]]
    spanners: list[str]
    fading: FadingTopic = field(default_factory=FadingTopic)

    def __post_init__(self) -> None:
        self.by_id = {person.id: person for person in self.people}

    def in_community(self, community_id: str) -> list[Person]:
        """Members of a community, in id order."""
        return [p for p in self.people if community_id in p.communities]


def moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random time between start and end, to the minute."""
    seconds = rng.uniform(0, max((end - start).total_seconds(), 0))
    return (start + timedelta(seconds=seconds)).replace(second=0, microsecond=0)


def weighted_sample(rng: random.Random, items: list[T], weights: list[float], k: int) -> list[T]:
    """Up to k distinct items drawn with probability proportional to their weights."""
    pool, pool_weights = list(items), list(weights)
    chosen: list[T] = []
    while pool and len(chosen) < k and sum(pool_weights) > 0:
        index = rng.choices(range(len(pool)), pool_weights)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def plan_people(rng: random.Random, plan: SizePlan) -> Cast:
    """Plan every member of an organization of `plan.members` people."""
    people = _people(rng, plan.members)
    stale = _plant_stale_experts(rng, people)
    spanners = _add_boundary_spanners(rng, people)
    experts = _plant_experts(rng, people)
    cast = Cast(people, experts, stale, spanners)
    _plant_fading_topic(rng, cast)
    _assign_managers(rng, cast, plan.managers_per_community)
    _assign_interests(rng, cast)
    _hide_some(rng, cast)
    for person in people:
        person.joined_at = min(person.joined_at, person.start)
    return cast


def _people(rng: random.Random, count: int) -> list[Person]:
    """Members with shuffled levels, home communities round-robin per level, and windows."""
    sizes = {
        "core": round(count * CORE_SHARE),
        "active": round(count * ACTIVE_SHARE),
        "newcomer": round(count * NEWCOMER_SHARE),
    }
    levels: list[Level] = ["core"] * sizes["core"]
    levels += ["active"] * sizes["active"]
    levels += ["newcomer"] * sizes["newcomer"]
    levels += ["peripheral"] * (count - len(levels))
    rng.shuffle(levels)
    width = len(str(count))
    offsets = {level: rng.randrange(len(COMMUNITIES)) for level in LEVELS}
    seen = dict.fromkeys(LEVELS, 0)
    people = []
    for number, level in enumerate(levels, start=1):
        community = COMMUNITIES[(offsets[level] + seen[level]) % len(COMMUNITIES)]
        seen[level] += 1
        start, end, joined = _window(rng, level)
        people.append(Person(f"m{number:0{width}d}", level, [community.id], start, end, joined))
    return people


def _window(rng: random.Random, level: Level) -> tuple[datetime, datetime, datetime]:
    """(activity start, activity end, joined the organization) for a member of `level`."""
    if level == "newcomer":
        joined = moment(rng, END - timedelta(days=80), END - timedelta(days=3))
        return joined, joined, joined
    latest_start = {"core": 0.0, "active": 0.35, "peripheral": 0.85}[level]
    start = moment(rng, START, START + SPAN * latest_start)
    tenure = 900 if level in ("core", "active") else 200
    return start, END, start - timedelta(days=rng.randint(0, tenure))


def _plant_stale_experts(rng: random.Random, people: list[Person]) -> dict[str, list[str]]:
    """Per community, some topics get a former expert who went quiet over two years ago."""
    stale: dict[str, list[str]] = {t.id: [] for c in COMMUNITIES for t in c.topics}
    for community in COMMUNITIES:
        count = max(1, round(len(community.topics) * STALE_TOPIC_SHARE))
        topics = rng.sample([t.id for t in community.topics], count)
        candidates = [p for p in people if p.level == "active" and p.home == community.id]
        rng.shuffle(candidates)
        available = candidates[: max(0, len(candidates) - KEEP_ACTIVE)]
        for index, topic_id in enumerate(topics[: 2 * len(available)]):
            person = available[index // 2]
            person.stale_topics.append(topic_id)
            person.start = moment(rng, START, START + SPAN * 0.05)
            person.end = moment(rng, START + SPAN * 0.2, START + SPAN * 0.3)
            stale[topic_id].append(person.id)
    return stale


def _add_boundary_spanners(rng: random.Random, people: list[Person]) -> list[str]:
    """Some core and active members take part in one or two more communities."""
    candidates = [p for p in people if p.level in ("core", "active") and not p.is_stale]
    spanners = rng.sample(candidates, round(len(candidates) * SPANNER_SHARE))
    for person in spanners:
        others = [c.id for c in COMMUNITIES if c.id != person.home]
        person.communities += rng.sample(others, 1 if rng.random() < 0.7 else 2)
    return sorted(p.id for p in spanners)


def _plant_experts(rng: random.Random, people: list[Person]) -> dict[str, list[str]]:
    """1-3 current experts per topic, mostly core members of the topic's home community."""
    experts: dict[str, list[str]] = {}
    for community in COMMUNITIES:
        candidates = [
            p
            for p in people
            if p.level in ("core", "active") and not p.is_stale and community.id in p.communities
        ]
        for topic in community.topics:
            count = rng.choices(list(EXPERTS_PER_TOPIC), list(EXPERTS_PER_TOPIC.values()))[0]
            chosen = weighted_sample(
                rng, candidates, [_expert_weight(p, community) for p in candidates], count
            )
            if not chosen:
                chosen = [min(candidates, key=lambda p: len(p.expert_topics))]
            for person in chosen:
                person.expert_topics.append(topic.id)
                person.start = min(person.start, moment(rng, START, START + SPAN * 0.15))
            experts[topic.id] = sorted(p.id for p in chosen)
    return experts


def _expert_weight(person: Person, community: CommunitySpec) -> float:
    """Core members and members at home in the community are likelier experts; busy ones less."""
    if len(person.expert_topics) >= MAX_EXPERT_TOPICS:
        return 0.0
    level = 3.0 if person.level == "core" else 1.0
    home = 2.0 if person.home == community.id else 0.5
    return level * home / (1 + 2 * len(person.expert_topics))


def _plant_fading_topic(rng: random.Random, cast: Cast) -> None:
    """One topic is held by a single expert who goes quiet a year before the end, while two members
    new to it start answering its recent questions: knowledge at risk, and who could take it over."""
    community = COMMUNITIES[rng.randrange(len(COMMUNITIES))]
    topic = next(t for t in community.topics if not cast.stale[t.id])
    expert, *others = [cast.by_id[m] for m in cast.experts[topic.id]]
    expert.end = END - timedelta(days=FADE_DAYS)
    for person in others:
        person.expert_topics.remove(topic.id)
    cast.experts[topic.id] = [expert.id]
    busy = {m for ids in cast.experts.values() for m in ids} | set(cast.spanners)
    local = [p for p in cast.in_community(community.id) if p.level in ("active", "peripheral")]
    risers = rng.sample([p for p in local if p.id not in busy and not p.is_stale], RISERS)
    for person in risers:
        person.start = min(person.start, END - timedelta(days=RISE_DAYS))
        person.end = END
    cast.fading = {
        "topic_id": topic.id,
        "community_id": community.id,
        "fading_expert": expert.id,
        "rising_members": sorted(p.id for p in risers),
    }


def _assign_managers(rng: random.Random, cast: Cast, per_community: int) -> None:
    """Managers per community, the first of them a topic expert; everyone else reports to one."""
    for community in COMMUNITIES:
        local = [p for p in cast.people if p.home == community.id]
        candidates = [p for p in local if p.level in ("core", "active") and not p.is_stale]
        experts = [p for p in candidates if p.expert_topics]
        managers = [rng.choice(experts or candidates)]
        others = [p for p in candidates if p is not managers[0]]
        managers += rng.sample(others, min(per_community - 1, len(others)))
        for manager in managers:
            manager.is_manager = True
        for person in local:
            if not person.is_manager:
                person.manager_id = rng.choice(managers).id


def _assign_interests(rng: random.Random, cast: Cast) -> None:
    """Topics members want to learn; some newcomers want to learn what their manager knows."""
    for community in COMMUNITIES:
        topic_ids = [t.id for t in community.topics]
        local = [p for p in cast.people if p.home == community.id]
        expert_managers = [p for p in local if p.is_manager and p.expert_topics]
        newcomers = [p for p in local if p.level == "newcomer"]
        for index, person in enumerate(newcomers):
            if expert_managers and (index == 0 or rng.random() < 0.4):
                manager = rng.choice(expert_managers)
                person.manager_id = manager.id
                person.interests = [rng.choice(manager.expert_topics)]
            person.interests += _new_interests(rng, topic_ids, person.interests, rng.randint(1, 2))
        for person in local:
            if person.level in ("newcomer", "core"):
                continue
            if rng.random() < (0.35 if person.level == "peripheral" else 0.2):
                person.interests = _new_interests(rng, topic_ids, person.expert_topics, 1)


def _new_interests(rng: random.Random, topic_ids: list[str], taken: list[str], count: int) -> list[str]:
    """`count` topics of the community that are not in `taken`."""
    return rng.sample([t for t in topic_ids if t not in taken], count)


def _hide_some(rng: random.Random, cast: Cast) -> None:
    """A few members opt out of being recommended, among them a true expert (none of the fading topic's)."""
    planted = {cast.fading.get("fading_expert"), *cast.fading.get("rising_members", [])}
    shared = {t for t, ids in cast.experts.items() if len(ids) >= 2}
    people = [p for p in cast.people if p.id not in planted]
    experts = [p for p in people if not p.is_manager and any(t in shared for t in p.expert_topics)] or [
        p for p in people if p.expert_topics and not p.is_manager
    ]
    hidden = [rng.choice(experts)]
    others = [
        p for p in people if p.level in ("active", "peripheral") and not p.expert_topics and not p.is_manager
    ]
    hidden += rng.sample(others, max(2, round(len(cast.people) * HIDDEN_SHARE)))
    for person in hidden:
        person.discoverable = False
