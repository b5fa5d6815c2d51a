"""Related communities on a hand-made organization: content, shared members, bridges, exclusions."""

from dataclasses import replace

import numpy as np
import pytest

from models.communities import (
    CommunityGraph,
    RelatedWeights,
    related_to_community,
    related_to_member,
    related_to_text,
)
from models.evidence import EvidenceWeights
from models.expert_features import DEFAULT_RANKER, topic_vectors
from models.lexical import LexicalIndex
from models.participation import LEVELS
from models.query_encoder import StaticQueryEncoder
from models.snapshot import KINDS, CommunityRows, ContributionRows, MemberRows, Snapshot
from models.strings import StringColumn
from models.vector_index import VectorIndex

COMMUNITIES = ["org", "org/db", "org/sec", "org/ml", "org/db/pg"]
PARENTS = [-1, 0, 0, 0, 1]
C = {c: i for i, c in enumerate(COMMUNITIES)}
# member: ({community: level}, discoverable)
MEMBERS = {
    "m0": ({"org/db": "core", "org/ml": "active"}, True),
    "m1": ({"org/db": "active", "org/sec": "peripheral"}, True),
    "m2": ({"org/sec": "core"}, True),
    "m3": ({"org/ml": "core", "org/db": "active"}, False),
    "m4": ({"org/db": "newcomer"}, True),
    "m5": ({"org/ml": "active"}, True),
}
M = {m: i for i, m in enumerate(MEMBERS)}
QUERY = np.array([0.0, 0.55, 0.6, 0.0])  # a shade closer to ml's content than to sec's


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _snapshot() -> Snapshot:
    # m2 (security) wrote the one text that matches QUERY; m0 and m5 wrote db and ml texts.
    rows = [
        ("m2", "org/sec", _unit(*QUERY), "incident response for model endpoints"),
        ("m0", "org/db", _unit(1, 0, 0, 0), "postgres vacuum tuning"),
        ("m5", "org/ml", _unit(0, 0, 1, 0.3), "feature store training data"),
    ]
    n = len(rows)
    texts = [r[3] for r in rows]
    strings = StringColumn.from_strings
    contributions = ContributionRows(
        ids=strings([f"c{i}" for i in range(n)]),
        author=np.array([M[r[0]] for r in rows], np.int32),
        community=np.array([C[r[1]] for r in rows], np.int32),
        kind=np.full(n, KINDS.index("answer"), np.int8),
        thread=np.arange(n, dtype=np.int32),
        created=np.zeros(n),
        accepted=np.zeros(n, bool),
        score=np.zeros(n, np.int32),
        title=strings(texts),
        snippet=strings(texts),
        content_hash=strings([""] * n),
        tags=strings([""] * n),
    )
    levels = [{C[c]: LEVELS.index(lv) for c, lv in m[0].items()} for m in MEMBERS.values()]
    members = MemberRows(
        ids=list(MEMBERS),
        names=[m.upper() for m in MEMBERS],
        discoverable=[m[1] for m in MEMBERS.values()],
        mentor_capacity=[0] * 6,
        timezone=[None] * 6,
        languages=[[] for _ in MEMBERS],
        manager=[-1] * 6,
        skills=[[] for _ in MEMBERS],
        interests=[[] for _ in MEMBERS],
        level=[0] * 6,
        communities=[list(lv) for lv in levels],
        community_level=levels,
        content_hash=[""] * 6,
    )
    vectors = np.stack(
        [
            _unit(1, 0.2, 0.2, 0.5),
            _unit(1, 0, 0, 0),
            _unit(0, 1, 0, 0),
            _unit(0.3, 0, 1, 0),
            _unit(1, 0, 0, 0.2),
        ]
    )
    matrix = np.stack([r[2] for r in rows])
    snapshot = Snapshot(
        version=1,
        reference_time=0.0,
        contributions=contributions,
        members=members,
        communities=CommunityRows(COMMUNITIES, COMMUNITIES, [""] * 5, PARENTS),
        contribution_index=VectorIndex.build(matrix),
        profile_vectors=np.zeros((6, 4), np.float32),
        community_vectors=vectors,
        topic_vectors=np.zeros((6, 4), np.float32),
        lexical=LexicalIndex.build(texts),
        ranker=DEFAULT_RANKER,
        query_encoder=StaticQueryEncoder.fit(texts, matrix),
    )
    snapshot = replace(snapshot, topic_vectors=topic_vectors(snapshot, matrix, EvidenceWeights()))
    return snapshot


@pytest.fixture(scope="module")
def world() -> tuple[Snapshot, CommunityGraph]:
    snapshot = _snapshot()
    return snapshot, CommunityGraph.build(snapshot)


def _ids(found) -> list[str]:  # type: ignore[no-untyped-def]
    return [COMMUNITIES[r.community] for r in found]


def test_graph_counts_shared_members_and_jaccard(world) -> None:
    _, graph = world
    assert graph.sizes[C["org/db"]] == 4 and graph.sizes[C["org/ml"]] == 3
    assert graph.shared[C["org/db"], C["org/ml"]] == 2  # m0 and m3
    assert graph.jaccard(C["org/db"])[C["org/ml"]] == pytest.approx(2 / 5)
    assert graph.active_in(C["org/sec"]).tolist() == [False, False, True, False, False, False]


def test_related_to_a_community_skips_its_family_and_names_discoverable_bridges(world) -> None:
    snapshot, graph = world
    found = related_to_community(snapshot, graph, C["org/db"], 10)
    assert _ids(found) == ["org/ml", "org/sec"]  # not itself, its parent org or its child pg
    ml = found[0]
    assert ml.shared_members == 2
    assert [snapshot.members.ids[m] for m in ml.bridges] == ["m0"]  # m3 is hidden
    assert found[1].bridges == []  # m1 is only peripheral in sec
    assert found[1].score < ml.score


def test_related_to_a_member_suggests_communities_not_joined_with_bridges(world) -> None:
    snapshot, graph = world
    found = related_to_member(snapshot, graph, M["m4"], _unit(0, 0, 1, 0), 10)
    assert _ids(found)[0] == "org/ml"
    assert not {"org", "org/db"} & set(_ids(found))  # joined, or covering what was joined
    assert "org/db/pg" in _ids(found)  # a sub-community is a fair suggestion
    ml = found[0]
    assert [snapshot.members.ids[m] for m in ml.bridges] == ["m0"]
    assert ml.shared_members == 2  # m0 and m3 share db with m4 and belong to ml


def test_for_a_text_the_experts_communities_outweigh_a_slight_content_edge(world) -> None:
    snapshot, graph = world
    text = "incident response for model endpoints"
    content_only = related_to_text(
        snapshot, graph, _unit(*QUERY), text, 3, weights=RelatedWeights(people_weight=0.0)
    )
    assert _ids(content_only)[0] == "org/ml"
    found = related_to_text(snapshot, graph, _unit(*QUERY), text, 3)
    assert _ids(found)[0] == "org/sec"
    assert [snapshot.members.ids[m] for m in found[0].bridges] == ["m2"]
    assert found[0].shared_members >= 1


def test_excluded_communities_never_come_back(world) -> None:
    snapshot, graph = world
    excluded = [C["org"], C["org/sec"]]
    found = related_to_text(snapshot, graph, _unit(*QUERY), "incident", 10, exclude=excluded)
    assert not set(_ids(found)) & {"org", "org/sec"} and len(found) == 3
