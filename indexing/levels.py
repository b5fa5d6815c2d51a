"""Participation levels of members, overall and per community, from their contributions.

Weights follow models.participation (0.5 ** (age_days / 365) times the kind's weight), vectorized,
with ages taken from the newest contribution. A contribution counts in its community and in every
ancestor community (a community covers its sub-communities).
"""

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from indexing.hierarchy import cover_matrix
from models.participation import KIND_WEIGHTS, participation_levels
from models.snapshot import KINDS, LEVELS

HALF_LIFE_DAYS = 365.0
_WEIGHT_BY_CODE = np.array([KIND_WEIGHTS[kind] for kind in KINDS])


def contribution_weights(kind: np.ndarray, created: np.ndarray, reference_time: float) -> np.ndarray:
    """Recency- and kind-weighted count of each contribution (see module docstring)."""
    age_days = np.maximum(reference_time - created, 0.0) / 86400.0
    return _WEIGHT_BY_CODE[kind] * 0.5 ** (age_days / HALF_LIFE_DAYS)


def _codes(rows: np.ndarray, weights: np.ndarray, member_ids: Sequence[str]) -> dict[int, int]:
    """Member row -> level code, for the given member rows with their weights."""
    levels = participation_levels(
        {member_ids[r]: float(w) for r, w in zip(rows, weights, strict=True) if w > 0}
    )
    return {int(r): LEVELS.index(levels.get(member_ids[r], "newcomer")) for r in rows}


def member_levels(
    author: np.ndarray,
    community: np.ndarray,
    weights: np.ndarray,
    member_ids: Sequence[str],
    chains: Sequence[Sequence[int]],
) -> tuple[list[int], list[dict[int, int]]]:
    """Each member's level overall and per community row.

    Args:
        author: member row of each contribution.
        community: community row of each contribution, -1 when none.
        weights: contribution_weights of each contribution.
        member_ids: ids of the member rows (participation_levels is keyed by id).
        chains: for each community row, the rows of its ancestors (hierarchy.ancestors).
    Returns:
        (level code per member, per member {community row: level code} where they took part).
    """
    members, communities = len(member_ids), len(chains)
    overall = [0] * members
    totals = np.bincount(author, weights, minlength=members)
    for member, code in _codes(np.flatnonzero(totals), totals[totals != 0], member_ids).items():
        overall[member] = code
    placed = community >= 0
    direct = sparse.csr_matrix(
        (weights[placed], (community[placed], author[placed])), shape=(communities, members)
    )
    summed = (cover_matrix(chains) @ direct).tocsr()
    per_community: list[dict[int, int]] = [{} for _ in range(members)]
    for row in range(communities):
        part = slice(summed.indptr[row], summed.indptr[row + 1])
        for member, code in _codes(summed.indices[part], summed.data[part], member_ids).items():
            per_community[member][row] = code
    return overall, per_community
