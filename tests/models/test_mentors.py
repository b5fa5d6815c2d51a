"""Mentor scoring on a hand-made snapshot: eligibility, fit factors, reasons, working hours."""

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from models.evidence import EvidenceWeights
from models.expert_features import DEFAULT_RANKER, topic_vectors
from models.lexical import LexicalIndex
from models.mentors import (
    MentorWeights,
    Topic,
    eligible_mentors,
    mentor_reason,
    overlap_hours,
    rank_mentors,
    score_mentors,
)
from models.participation import LEVELS
from models.query_encoder import StaticQueryEncoder
from models.snapshot import KINDS, CommunityRows, ContributionRows, MemberRows, Snapshot
from models.strings import StringColumn
from models.vector_index import VectorIndex

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC).timestamp()
AXES = {"alpha": 0, "beta": 1, "gamma": 2}
# id, level, capacity, timezone, languages, manager, discoverable, topic of their 3 answers
PEOPLE = [
    ("newbie", "newcomer", 0, "Europe/Berlin", ["de"], "boss", True, None),
    ("boss", "core", 2, "Europe/Berlin", ["de"], None, True, "alpha"),
    ("near", "core", 1, "Europe/Paris", ["de", "en"], "boss", True, "alpha"),
    ("far", "active", 2, "Asia/Tokyo", ["ja"], "boss", True, "alpha"),
    ("beta", "core", 1, "Europe/Berlin", ["de"], None, True, "beta"),
    ("edge", "peripheral", 3, "Europe/Berlin", ["de"], None, True, "alpha"),
    ("hidden", "core", 3, "Europe/Berlin", ["de"], None, False, "alpha"),
    ("idle", "core", 0, "Europe/Berlin", ["de"], None, True, "alpha"),
]
ROW = {p[0]: i for i, p in enumerate(PEOPLE)}


def _vector(axis: int, noise: float = 0.0) -> np.ndarray:
    v = np.full(4, noise, np.float32)
    v[axis] = 1.0
    return v / np.linalg.norm(v)


def _snapshot() -> Snapshot:
    authors, vectors, texts = [], [], []
    for row, person in enumerate(PEOPLE):
        if person[7]:
            for i in range(3):
                authors.append(row)
                vectors.append(_vector(AXES[person[7]], 0.05 * i))
                texts.append(f"{person[7]} how to tune {person[7]} systems part {i}")
    n = len(authors)
    strings = StringColumn.from_strings
    contributions = ContributionRows(
        ids=strings([f"c{i}" for i in range(n)]),
        author=np.array(authors, np.int32),
        community=np.zeros(n, np.int32),
        kind=np.full(n, KINDS.index("answer"), np.int8),
        thread=np.arange(n, dtype=np.int32),
        created=np.full(n, WINTER - 86_400),
        accepted=np.arange(n) % 3 == 0,
        score=np.ones(n, np.int32),
        title=strings(texts),
        snippet=strings(texts),
        content_hash=strings([""] * n),
        tags=strings([""] * n),
    )
    members = MemberRows(
        ids=[p[0] for p in PEOPLE],
        names=[p[0].title() for p in PEOPLE],
        discoverable=[p[6] for p in PEOPLE],
        mentor_capacity=[p[2] for p in PEOPLE],
        timezone=[p[3] for p in PEOPLE],
        languages=[p[4] for p in PEOPLE],
        manager=[ROW[p[5]] if p[5] else -1 for p in PEOPLE],
        skills=[[] for _ in PEOPLE],
        interests=[[] for _ in PEOPLE],
        level=[LEVELS.index(p[1]) for p in PEOPLE],
        communities=[[0] for _ in PEOPLE],
        community_level=[{0: LEVELS.index(p[1])} for p in PEOPLE],
        content_hash=["" for _ in PEOPLE],
    )
    matrix = np.array(vectors, np.float32)
    snapshot = Snapshot(
        version=1,
        reference_time=WINTER,
        contributions=contributions,
        members=members,
        communities=CommunityRows(["org"], ["Org"], [""], [-1]),
        contribution_index=VectorIndex.build(matrix),
        profile_vectors=np.zeros((8, 4), np.float32),
        community_vectors=_vector(3)[None, :],
        topic_vectors=np.zeros((8, 4), np.float32),
        lexical=LexicalIndex.build(texts),
        ranker=DEFAULT_RANKER,
        query_encoder=StaticQueryEncoder.fit(texts, matrix),
    )
    snapshot = replace(snapshot, topic_vectors=topic_vectors(snapshot, matrix, EvidenceWeights()))
    return snapshot


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return _snapshot()


def _topic(name: str) -> Topic:
    return Topic(name, f"{name} systems", _vector(AXES[name]))


def _ranked(snapshot, topics, active=None, **extra):  # type: ignore[no-untyped-def]
    active = np.zeros(len(PEOPLE)) if active is None else active
    hits = rank_mentors(snapshot, [_topic(t) for t in topics], 10, active=active, **extra)
    return [PEOPLE[h.member][0] for h in hits], hits


def test_only_core_or_active_discoverable_members_with_room_never_self_or_manager(snapshot) -> None:
    ok = eligible_mentors(snapshot, np.zeros(len(PEOPLE)), ROW["newbie"])
    assert {PEOPLE[m][0] for m in np.flatnonzero(ok)} == {"near", "far", "beta"}


def test_the_expert_in_the_topic_who_shares_hours_and_language_comes_first(snapshot) -> None:
    names, hits = _ranked(snapshot, ["alpha"], mentee=ROW["newbie"])
    assert names == ["near", "far"]  # beta knows nothing of alpha; boss is the manager
    assert hits[0].overlap_hours == 8 and hits[0].shared_languages == ["de"]
    assert hits[1].overlap_hours == 0 and hits[1].shared_languages == []
    assert hits[0].score > hits[1].score > 0


def test_without_a_mentee_the_manager_rule_does_not_apply(snapshot) -> None:
    names, _ = _ranked(snapshot, ["alpha"])
    assert set(names) == {"boss", "near", "far"}


def test_full_and_past_mentors_are_left_out(snapshot) -> None:
    active = np.zeros(len(PEOPLE))
    active[ROW["near"]] = 1
    names, _ = _ranked(snapshot, ["alpha"], active=active, mentee=ROW["newbie"])
    assert names == ["far"]
    names, _ = _ranked(snapshot, ["alpha"], mentee=ROW["newbie"], exclude=[ROW["far"]])
    assert names == ["near"]


def test_taken_places_and_recent_exposure_lower_the_fit(snapshot) -> None:
    topics = [_topic("alpha")]
    free = score_mentors(snapshot, topics, active=np.zeros(len(PEOPLE))).fit
    busy = np.zeros(len(PEOPLE))
    busy[ROW["far"]] = 1
    loaded = score_mentors(snapshot, topics, active=busy).fit
    assert loaded[ROW["far"]] < free[ROW["far"]]
    assert loaded[ROW["near"]] == pytest.approx(free[ROW["near"]])
    exposure = np.zeros(len(PEOPLE))
    exposure[ROW["near"]] = 50
    exposed = score_mentors(snapshot, topics, active=np.zeros(len(PEOPLE)), exposure=exposure).fit
    assert exposed[ROW["near"]] < free[ROW["near"]]


def test_each_topic_finds_its_own_expert_and_reasons_name_topic_and_evidence(snapshot) -> None:
    names, hits = _ranked(snapshot, ["alpha", "beta"], mentee=ROW["newbie"])
    assert {"near", "beta"} <= set(names)
    by_name = dict(zip(names, hits, strict=True))
    assert by_name["beta"].topics == ["beta"]
    reason = mentor_reason(snapshot, by_name["near"])
    assert reason.startswith("Knows alpha: wrote 3 matching answers (1 accepted or validated)")
    assert "8 h of shared working hours; speaks de; 1 of 1 mentee places free." in reason


def test_a_topic_nobody_knows_finds_nobody(snapshot) -> None:
    names, _ = _ranked(snapshot, ["gamma"], mentee=ROW["newbie"])
    assert names == []
    lenient = MentorWeights(min_similarity=-1.0)
    assert _ranked(snapshot, ["gamma"], mentee=ROW["newbie"], weights=lenient)[0]


def test_working_hours_overlap_across_zones_and_the_date_line() -> None:
    assert overlap_hours("Europe/Berlin", "Europe/Paris", WINTER) == 8
    assert overlap_hours("Europe/Berlin", "America/New_York", WINTER) == 2
    assert overlap_hours("Asia/Tokyo", "America/Los_Angeles", WINTER) == 1
    assert overlap_hours("Asia/Kolkata", "Europe/London", WINTER) == 2.5
    assert overlap_hours("Europe/Berlin", None, WINTER) is None
    assert overlap_hours("Mars/Olympus", "Europe/Berlin", WINTER) is None


def test_no_topic_is_an_error(snapshot) -> None:
    with pytest.raises(ValueError, match="at least one topic"):
        score_mentors(snapshot, [], active=np.zeros(len(PEOPLE)))
