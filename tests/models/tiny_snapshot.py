"""A hand-made snapshot of a few contributions, for ranking tests without an encoder."""

from dataclasses import replace

import numpy as np

from models.evidence import EvidenceWeights
from models.expert_features import DEFAULT_RANKER, topic_vectors
from models.lexical import LexicalIndex
from models.query_encoder import StaticQueryEncoder
from models.snapshot import KINDS, CommunityRows, ContributionRows, MemberRows, Snapshot
from models.strings import StringColumn
from models.vector_index import VectorIndex

DAY = 86_400.0


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def tiny_snapshot(rows: list[dict], members: list[str], discoverable: list[bool] | None = None) -> Snapshot:
    """A snapshot of `rows` (dicts: author index, kind, vector, text; optional accepted, age_days, thread)."""
    n = len(members)
    ids = StringColumn.from_strings([f"c{i}" for i in range(len(rows))])
    contributions = ContributionRows(
        ids=ids,
        author=np.array([r["author"] for r in rows], np.int32),
        community=np.array([r.get("community", 0) for r in rows], np.int32),
        kind=np.array([KINDS.index(r["kind"]) for r in rows], np.int8),
        thread=np.array([r.get("thread", i) for i, r in enumerate(rows)], np.int32),
        created=np.array([1e9 - r.get("age_days", 0) * DAY for r in rows]),
        accepted=np.array([r.get("accepted", False) for r in rows]),
        score=np.zeros(len(rows), np.int32),
        title=StringColumn.from_strings([r["text"] for r in rows]),
        snippet=StringColumn.from_strings([r["text"] for r in rows]),
        content_hash=StringColumn.from_strings(["" for _ in rows]),
        tags=StringColumn.from_strings([r.get("tags", "") for r in rows]),
    )
    member_rows = MemberRows(
        ids=members,
        names=[m.title() for m in members],
        discoverable=discoverable or [True] * n,
        mentor_capacity=[0] * n,
        timezone=[None] * n,
        languages=[[] for _ in range(n)],
        manager=[-1] * n,
        skills=[[] for _ in range(n)],
        interests=[[] for _ in range(n)],
        level=[3] * n,
        communities=[[0] for _ in range(n)],
        community_level=[{0: 3} for _ in range(n)],
        content_hash=[""] * n,
    )
    vectors = np.stack([r["vector"] for r in rows]).astype(np.float32)
    dim = vectors.shape[1]
    snapshot = Snapshot(
        version=1,
        reference_time=1e9,
        contributions=contributions,
        members=member_rows,
        communities=CommunityRows(ids=["c"], names=["C"], descriptions=[""], parent=[-1]),
        contribution_index=VectorIndex.build(vectors),
        profile_vectors=np.zeros((n, dim), np.float32),
        community_vectors=np.zeros((1, dim), np.float32),
        topic_vectors=np.zeros((n, dim), np.float32),
        lexical=LexicalIndex.build([r["text"] for r in rows]),
        ranker=DEFAULT_RANKER,
        query_encoder=StaticQueryEncoder.fit([r["text"] for r in rows], vectors),
    )
    snapshot = replace(snapshot, topic_vectors=topic_vectors(snapshot, vectors, EvidenceWeights()))
    return snapshot
