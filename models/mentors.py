"""Mentor matching: core or active members with evidence in a newcomer's topics and room to mentor.

Expertise per topic comes from the expert ranker (`rank_experts`), scaled so the best eligible
mentor of each topic scores 1; a mentor's expertise blends their best topic with their coverage
of all topics. Fit = expertise × working-hours overlap × shared language × load spreading.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from models.experts import ExpertHit, ExpertWeights, rank_experts
from models.explain import expert_reason
from models.participation import LEVELS
from models.snapshot import Snapshot

WORKDAY = (9, 17)  # local working hours
MENTOR_LEVELS = (LEVELS.index("active"), LEVELS.index("core"))


@dataclass(frozen=True)
class MentorWeights:
    """The knobs of mentor fit; each factor is 1 for a perfect match and 1 - weight at worst."""

    experts: ExpertWeights = field(  # the expert ranker as is: recent activity shows who replies
        default_factory=ExpertWeights
    )
    depth: int = 50  # eligible experts considered per topic
    best_share: float = 0.7  # expertise = share · best topic + (1 - share) · mean over topics
    match_share: float = 0.25  # a topic is named in the reason from this share of its best mentor
    min_similarity: float = 0.3  # evidence counts when its embedding similarity reaches this
    timezone_weight: float = 0.15  # no overlapping working hours costs this share of the fit
    language_weight: float = 0.1  # no shared language costs this share
    load_weight: float = 0.5  # fit / (1 + weight · mentees already taken / capacity)
    exposure_penalty: float = 0.15  # fit / (1 + penalty · log1p(recent recommendations))


@dataclass
class Topic:
    """One thing the newcomer wants to learn: a label for reasons, its text and its embedding."""

    label: str
    text: str
    vector: np.ndarray


@dataclass
class MentorScores:
    """Fit of every member as a mentor for one newcomer (0 where not eligible)."""

    fit: np.ndarray  # (members,) float32
    topic_expertise: np.ndarray  # (topics, members): 1 for the best eligible mentor of a topic
    hits: list[dict[int, ExpertHit]]  # per topic: member row -> the expert ranker's hit
    capacity_left: np.ndarray  # (members,) int


@dataclass
class MentorHit:
    """A suggested mentor with what they know and how well they fit."""

    member: int
    score: float
    topics: list[str]  # labels of the newcomer's topics the mentor has evidence for, best first
    evidence: ExpertHit  # the ranker's hit for the mentor's best topic
    capacity_left: int
    overlap_hours: float | None
    shared_languages: list[str]


@lru_cache(maxsize=1024)
def _zone(name: str | None) -> ZoneInfo | None:
    """The IANA zone of that name; None when unknown or missing."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _workday(zone: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    """The UTC start and end of the working hours of `day` in `zone`."""
    start = datetime(day.year, day.month, day.day, WORKDAY[0], tzinfo=zone)
    end = datetime(day.year, day.month, day.day, WORKDAY[1], tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def overlap_hours(zone_a: str | None, zone_b: str | None, when: float) -> float | None:
    """Hours the 9-17 local working days of two timezones overlap around the date of `when`.

    Compares a's working day with b's previous, same and next day, so zones across the date
    line still find their common hours. None when either zone is missing or unknown.
    """
    a, b = _zone(zone_a), _zone(zone_b)
    if a is None or b is None:
        return None
    day = datetime.fromtimestamp(when, UTC).date()
    start_a, end_a = _workday(a, day)
    best = 0.0
    for shift in (-1, 0, 1):
        start_b, end_b = _workday(b, day + timedelta(days=shift))
        common = (min(end_a, end_b) - max(start_a, start_b)).total_seconds() / 3600
        best = max(best, common)
    return best


def _mentor_levels_ok(snapshot: Snapshot) -> np.ndarray:
    """Members who are active or core overall or in at least one community."""
    members = snapshot.members
    best = [max([lv, *members.community_level[m].values()]) for m, lv in enumerate(members.level)]
    return np.isin(np.array(best, dtype=np.int64), MENTOR_LEVELS)


def capacity_left(snapshot: Snapshot, active: np.ndarray) -> np.ndarray:
    """Mentor capacity minus active mentorships, never below zero."""
    capacity = np.array(snapshot.members.mentor_capacity, dtype=np.int64)
    return np.maximum(capacity - active.astype(np.int64), 0)


def eligible_mentors(
    snapshot: Snapshot, active: np.ndarray, mentee: int | None, exclude: Collection[int] = ()
) -> np.ndarray:
    """Discoverable active or core members with free capacity; never the mentee or their manager.

    Args:
        snapshot: the index version.
        active: (members,) active mentorships per member.
        mentee: the newcomer's row, or None for a free-text request.
        exclude: member rows never suggested (e.g. past mentors).
    Returns:
        (members,) bool mask.
    """
    ok = _mentor_levels_ok(snapshot) & (capacity_left(snapshot, active) > 0)
    ok &= np.array(snapshot.members.discoverable, dtype=bool)
    ok[list(exclude)] = False
    if mentee is not None:
        ok[mentee] = False
        manager = snapshot.members.manager[mentee]
        if manager >= 0:
            ok[manager] = False
    return ok


def _topic_expertise(
    snapshot: Snapshot, topic: Topic, eligible: np.ndarray, weights: MentorWeights
) -> tuple[np.ndarray, dict[int, ExpertHit]]:
    """Eligible members' expertise in one topic, scaled to 1 for the best.

    Only members whose strongest evidence is similar enough count, so a topic nobody knows
    yields nobody rather than whoever matches it least badly.
    """
    excluded = np.flatnonzero(~eligible)
    hits = rank_experts(
        snapshot, topic.vector, topic.text, weights.depth, exclude=excluded, weights=weights.experts
    )
    with_evidence = {
        h.member: h
        for h in hits
        if max((e.similarity or 0.0 for e in h.evidence), default=0.0) >= weights.min_similarity
    }
    expertise = np.zeros(len(snapshot.members), np.float32)
    for member, hit in with_evidence.items():
        expertise[member] = hit.score
    top = float(expertise.max())
    return (expertise / top if top > 0 else expertise), with_evidence


def _language_match(snapshot: Snapshot, mentee: int | None) -> np.ndarray:
    """1 where a member shares a language with the mentee, 0 where not, 0.5 when unknown."""
    members = snapshot.members
    if mentee is None or not members.languages[mentee]:
        return np.full(len(members), 0.5, np.float32)
    wanted = {lang.lower() for lang in members.languages[mentee]}
    return np.array(
        [
            0.5 if not langs else float(bool(wanted & {x.lower() for x in langs}))
            for langs in members.languages
        ],
        dtype=np.float32,
    )


def _timezone_match(snapshot: Snapshot, mentee: int | None, candidates: np.ndarray) -> np.ndarray:
    """Share of the working day that overlaps with the mentee's (0.5 when unknown)."""
    match = np.full(len(snapshot.members), 0.5, np.float32)
    if mentee is None:
        return match
    hours = WORKDAY[1] - WORKDAY[0]
    zones = snapshot.members.timezone
    for member in np.flatnonzero(candidates):
        common = overlap_hours(zones[mentee], zones[member], snapshot.reference_time)
        if common is not None:
            match[member] = common / hours
    return match


def score_mentors(
    snapshot: Snapshot,
    topics: Sequence[Topic],
    *,
    active: np.ndarray,
    mentee: int | None = None,
    exclude: Collection[int] = (),
    exposure: np.ndarray | None = None,
    weights: MentorWeights = MentorWeights(),
) -> MentorScores:
    """Fit of every member as a mentor for a newcomer with these topics.

    Args:
        snapshot: the index version.
        topics: what the newcomer wants to learn (at least one).
        active: (members,) active mentorships per member.
        mentee: the newcomer's row (for timezone, languages, manager), None for free text.
        exclude: member rows never suggested (past mentors).
        exposure: (members,) recent recommendations, for load spreading.
        weights: the knobs.
    Returns:
        Fit per member with the per-topic evidence behind it.
    """
    if not topics:
        raise ValueError("mentor matching needs at least one topic")
    eligible = eligible_mentors(snapshot, active, mentee, exclude)
    per_topic = [_topic_expertise(snapshot, t, eligible, weights) for t in topics]
    expertise = np.stack([e for e, _ in per_topic])
    share = weights.best_share
    fit = share * expertise.max(axis=0) + (1 - share) * expertise.mean(axis=0)
    fit = fit * (1 - weights.timezone_weight * (1 - _timezone_match(snapshot, mentee, fit > 0)))
    fit = fit * (1 - weights.language_weight * (1 - _language_match(snapshot, mentee)))
    left = capacity_left(snapshot, active)
    capacity = np.maximum(np.array(snapshot.members.mentor_capacity, dtype=np.float32), 1)
    fit = fit / (1 + weights.load_weight * (capacity - left) / capacity)
    if exposure is not None:
        fit = fit / (1 + weights.exposure_penalty * np.log1p(exposure))
    return MentorScores(fit.astype(np.float32), expertise, [h for _, h in per_topic], left)


def _hit(
    snapshot: Snapshot,
    scores: MentorScores,
    topics: Sequence[Topic],
    member: int,
    mentee: int | None,
    weights: MentorWeights,
) -> MentorHit:
    """Package one mentor: matched topics best first, their strongest evidence, fit details."""
    expertise = scores.topic_expertise[:, member]
    order = np.argsort(-expertise, kind="stable")
    named = [t for i, t in enumerate(order) if i == 0 or expertise[t] >= weights.match_share]
    zones, languages = snapshot.members.timezone, snapshot.members.languages
    hours, shared = None, []
    if mentee is not None:
        hours = overlap_hours(zones[mentee], zones[member], snapshot.reference_time)
        wanted = {x.lower() for x in languages[mentee]}
        shared = [x for x in languages[member] if x.lower() in wanted]
    return MentorHit(
        member=member,
        score=float(scores.fit[member]),
        topics=[topics[t].label for t in named],
        evidence=scores.hits[int(order[0])][member],
        capacity_left=int(scores.capacity_left[member]),
        overlap_hours=hours,
        shared_languages=shared,
    )


def rank_mentors(
    snapshot: Snapshot,
    topics: Sequence[Topic],
    k: int,
    *,
    active: np.ndarray,
    mentee: int | None = None,
    exclude: Collection[int] = (),
    exposure: np.ndarray | None = None,
    weights: MentorWeights = MentorWeights(),
) -> list[MentorHit]:
    """The k best-fitting mentors for a newcomer, best first (see `score_mentors` for the args)."""
    scores = score_mentors(
        snapshot, topics, active=active, mentee=mentee, exclude=exclude, exposure=exposure, weights=weights
    )
    order = [int(m) for m in np.argsort(-scores.fit, kind="stable")[:k] if scores.fit[m] > 0]
    return [_hit(snapshot, scores, topics, m, mentee, weights) for m in order]


def mentor_reason(snapshot: Snapshot, hit: MentorHit) -> str:
    """E.g. 'Knows kubernetes, terraform: wrote 4 matching answers (...); core member. 6 h of
    shared working hours; speaks en; 2 of 3 mentee places free.'"""
    capacity = snapshot.members.mentor_capacity[hit.member]
    evidence = _lower_first(expert_reason(snapshot, hit.evidence))
    parts = [f"Knows {', '.join(hit.topics)}: {evidence}"]
    if hit.overlap_hours is not None:
        parts.append(f"{hit.overlap_hours:g} h of shared working hours;")
    if hit.shared_languages:
        parts.append(f"speaks {', '.join(hit.shared_languages)};")
    parts.append(f"{hit.capacity_left} of {capacity} mentee places free.")
    return " ".join(parts)


def _lower_first(text: str) -> str:
    """'Wrote 3 ...' -> 'wrote 3 ...'."""
    return text[:1].lower() + text[1:]
