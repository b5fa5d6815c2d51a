"""Similar past solutions: reuse an accepted answer, validated tip or document before asking again."""

from dataclasses import dataclass

import numpy as np

from models.retrieval import FusionWeights, retrieve
from models.snapshot import KINDS, Snapshot

DEFAULT_FUSION = FusionWeights()
_ANSWER, _SOLUTION, _DOCUMENT = (KINDS.index(k) for k in ("answer", "solution", "document"))


@dataclass
class SolutionHit:
    """One reusable contribution and how well it matches."""

    row: int
    score: float
    similarity: float | None  # cosine; None for a keyword-only match


def reusable(snapshot: Snapshot, rows: np.ndarray) -> np.ndarray:
    """Accepted answers, validated solutions and documents."""
    kind = snapshot.contributions.kind[rows]
    accepted = snapshot.contributions.accepted[rows]
    reusable: np.ndarray = (
        ((kind == _ANSWER) & accepted) | ((kind == _SOLUTION) & accepted) | (kind == _DOCUMENT)
    )
    return reusable


def find_solutions(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    query_text: str,
    k: int,
    *,
    community: int | None = None,
    fusion: FusionWeights = DEFAULT_FUSION,
) -> list[SolutionHit]:
    """Best reusable contributions for a query, hybrid dense + lexical, one per thread.

    Args:
        snapshot: the index version to search.
        query_vector: the normalized query embedding.
        query_text: the raw query, for the lexical signal.
        k: how many solutions to return.
        community: only solutions from this community row.
        fusion: dense/lexical fusion knobs.
    Returns:
        Up to k hits, best first.
    """
    found = retrieve(snapshot, query_vector, query_text, fusion, fusion.candidates * 4)
    rows, relevance = found.fused(fusion.lexical_weight)
    keep = reusable(snapshot, rows)
    if community is not None:
        keep &= snapshot.contributions.community[rows] == community
    order = np.flatnonzero(keep)[np.argsort(-relevance[keep], kind="stable")]
    hits: list[SolutionHit] = []
    seen: set[int] = set()
    for i in order:
        row = int(rows[i])
        thread = int(snapshot.contributions.thread[row])
        if thread in seen:
            continue
        seen.add(thread)
        hits.append(SolutionHit(row, float(relevance[i]), found.cosine.get(row)))
        if len(hits) == k:
            break
    return hits
