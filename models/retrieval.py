"""Hybrid candidate retrieval: dense FAISS neighbours and BM25 hits over the same contribution rows."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from models.snapshot import Snapshot


@dataclass(frozen=True)
class FusionWeights:
    """How many candidates each retriever gives, and the lexical signal's share when they combine."""

    candidates: int = 300
    lexical_weight: float = 0.35  # share of BM25 in a contribution's fused relevance
    use_lexical: bool = True


@dataclass
class Hits:
    """Rows found by one retriever: raw scores (cosine or BM25) and strength scaled to [0, 1] (1 = best)."""

    rows: np.ndarray
    strength: np.ndarray
    raw: np.ndarray

    @classmethod
    def empty(cls) -> "Hits":
        return cls(np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.float32))


@dataclass
class Candidates:
    """What both retrievers found for a query."""

    dense: Hits
    lexical: Hits

    @cached_property
    def cosine(self) -> dict[int, float]:
        """Row -> cosine similarity, for the dense hits."""
        return dict(zip(self.dense.rows.tolist(), self.dense.raw.tolist(), strict=True))

    def fused(self, lexical_weight: float) -> tuple[np.ndarray, np.ndarray]:
        """Union of the rows (ascending), relevance (1-w)·dense + w·lexical: for ranking contributions."""
        w = lexical_weight if self.lexical.rows.size else 0.0
        rows = np.concatenate([self.dense.rows, self.lexical.rows])
        strength = np.concatenate([(1 - w) * self.dense.strength, w * self.lexical.strength])
        union, where = np.unique(rows, return_inverse=True)
        return union, np.bincount(where, weights=strength, minlength=len(union)).astype(np.float32)


def _dense(snapshot: Snapshot, query_vector: np.ndarray, depth: int) -> Hits:
    """Nearest visible contributions, strength rescaled between the weakest and strongest neighbour."""
    scores, rows = snapshot.contribution_index.search(query_vector[None, :], depth, allowed=snapshot.visible)
    keep = rows[0] >= 0
    rows, scores = rows[0][keep].astype(np.int64), scores[0][keep]
    if rows.size == 0:
        return Hits.empty()
    floor, top = float(scores.min()), float(scores.max())
    strength = np.clip((scores - floor) / max(top - floor, 1e-6), 0.0, 1.0).astype(np.float32)
    return Hits(rows, strength, scores.astype(np.float32))


def _lexical(snapshot: Snapshot, query_text: str, depth: int) -> Hits:
    """BM25 hits among the visible contributions, strength = score / best score."""
    scores, rows = snapshot.lexical.search(query_text, depth, allowed=snapshot.visible)
    if scores.size == 0:
        return Hits.empty()
    return Hits(rows.astype(np.int64), (scores / scores[0]).astype(np.float32), scores)


def retrieve(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    query_text: str,
    weights: FusionWeights,
    depth: int,
) -> Candidates:
    """Top `depth` dense neighbours and (unless switched off) top `depth` BM25 hits."""
    dense = _dense(snapshot, query_vector, depth)
    lexical = _lexical(snapshot, query_text, depth) if weights.use_lexical else Hits.empty()
    return Candidates(dense, lexical)
