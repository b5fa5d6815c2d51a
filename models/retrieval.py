"""Hybrid candidate retrieval: dense FAISS neighbours fused with BM25 hits over the same rows."""

from dataclasses import dataclass

import numpy as np

from models.snapshot import Snapshot


@dataclass(frozen=True)
class FusionWeights:
    """How dense and lexical evidence combine into one relevance per contribution."""

    candidates: int = 200  # neighbours taken from each retriever
    lexical_weight: float = 0.35  # share of the lexical signal in the fused relevance
    use_lexical: bool = True


@dataclass
class Candidates:
    """Contribution rows relevant to a query, with dense similarity and fused relevance in [0, 1]."""

    rows: np.ndarray
    similarity: np.ndarray
    relevance: np.ndarray


def retrieve(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    query_text: str,
    weights: FusionWeights,
    depth: int | None = None,
) -> Candidates:
    """Union of dense and lexical top hits; relevance = (1-w)·dense + w·lexical, each scaled to [0, 1].

    Dense similarity is rescaled between the weakest and strongest retrieved neighbour so that
    both signals share a range; lexical BM25 is divided by its best score.
    """
    depth = depth or weights.candidates
    dense_scores, dense_rows = snapshot.contribution_index.search(query_vector[None, :], depth)
    keep = dense_rows[0] >= 0
    dense_rows, dense_scores = dense_rows[0][keep], dense_scores[0][keep]
    similarity = dict(zip(dense_rows.tolist(), dense_scores.tolist(), strict=True))
    lexical: dict[int, float] = {}
    if weights.use_lexical:
        lex_scores, lex_rows = snapshot.lexical.search(query_text, depth)
        if lex_scores.size:
            lexical = dict(zip(lex_rows.tolist(), (lex_scores / lex_scores[0]).tolist(), strict=True))
    rows = np.array(sorted(set(similarity) | set(lexical)), dtype=np.int64)
    if rows.size == 0:
        return Candidates(rows, np.zeros(0, np.float32), np.zeros(0, np.float32))
    floor = float(dense_scores.min()) if dense_scores.size else 0.0
    top = float(dense_scores.max()) if dense_scores.size else 1.0
    sim = np.array([similarity.get(r, floor) for r in rows.tolist()], dtype=np.float32)
    dense = np.clip((sim - floor) / max(top - floor, 1e-6), 0.0, 1.0)
    lex = np.array([lexical.get(r, 0.0) for r in rows.tolist()], dtype=np.float32)
    w = weights.lexical_weight if lexical else 0.0
    return Candidates(rows, sim, (1 - w) * dense + w * lex)
