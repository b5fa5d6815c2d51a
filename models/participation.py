"""Participation levels in a community of practice: newcomer, peripheral, active, core.

Rule: within a community, members are ranked by a recency-weighted count of their contributions
there and in its sub-communities (a community covers its sub-communities). Each contribution weighs
0.5 ** (age_days / HALF_LIFE_DAYS), age taken from the newest contribution of all, times 1 for
answers, solutions and documents and 0.5 for questions, comments and posts. Core = the top 15% of
contributors (at least one), active = the next 35%, peripheral = the other contributors (shares
rounded half up); members who joined without contributing are newcomers. Equal weights are ranked
by member id so levels are stable. The overall level ranks every contribution in one pool.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from models.hierarchy import ancestors, cover_matrix
from models.snapshot import KINDS

LEVELS = ("newcomer", "peripheral", "active", "core")  # a level's code is its position here
KIND_WEIGHTS = {
    "answer": 1.0,
    "solution": 1.0,
    "document": 1.0,
    "question": 0.5,
    "comment": 0.5,
    "post": 0.5,
}
HALF_LIFE_DAYS = 365.0
CORE_PERCENT = 15
ACTIVE_PERCENT = 35
_WEIGHT_BY_CODE = np.array([KIND_WEIGHTS[kind] for kind in KINDS])


@dataclass(frozen=True)
class Contributions:
    """The columns the rule reads, one entry per contribution."""

    author: np.ndarray  # member row
    community: np.ndarray  # community row, -1 when none
    kind: np.ndarray  # position in KINDS
    created: np.ndarray  # unix seconds


@dataclass(frozen=True)
class Levels:
    """Every member's level code overall and in each community they joined or took part in."""

    reference_time: float  # the newest contribution's time: ages count from it
    overall: list[int]  # per member row
    per_community: list[dict[int, int]]  # per member row: {community row: level code}


def participation(
    contributions: Contributions,
    member_ids: Sequence[str],
    parent: Sequence[int],
    joined: Sequence[Sequence[int]],
) -> Levels:
    """The levels of the rule above.

    Args:
        contributions: who contributed what, where and when.
        member_ids: ids of the member rows (ties are broken by id).
        parent: each community row's parent row, -1 for none.
        joined: per member row, the community rows they are a member of.
    """
    reference_time = float(contributions.created.max(initial=0.0))
    weights = contribution_weights(contributions.kind, contributions.created, reference_time)
    overall, taken = _member_levels(contributions, weights, member_ids, ancestors(parent))
    per_community = [{**dict.fromkeys(mine, 0), **took} for mine, took in zip(joined, taken, strict=True)]
    return Levels(reference_time, overall, per_community)


def contribution_weights(kind: np.ndarray, created: np.ndarray, reference_time: float) -> np.ndarray:
    """Recency- and kind-weighted count of each contribution (kind as positions in KINDS)."""
    age_days = np.maximum(reference_time - created, 0.0) / 86400.0
    weights: np.ndarray = _WEIGHT_BY_CODE[kind] * 0.5 ** (age_days / HALF_LIFE_DAYS)
    return weights


def participation_levels(weights_by_member: Mapping[str, float]) -> dict[str, str]:
    """Level of every member of one pool from their weighted contribution counts (0: none)."""
    ranked = sorted(
        (member for member, weight in weights_by_member.items() if weight > 0),
        key=lambda member: (-weights_by_member[member], member),
    )
    core = max(1, _share(len(ranked), CORE_PERCENT))
    active = core + _share(len(ranked), ACTIVE_PERCENT)
    levels = {member: "newcomer" for member in weights_by_member}
    for rank, member in enumerate(ranked):
        levels[member] = "core" if rank < core else "active" if rank < active else "peripheral"
    return levels


def _member_levels(
    contributions: Contributions,
    weights: np.ndarray,
    member_ids: Sequence[str],
    chains: Sequence[Sequence[int]],
) -> tuple[list[int], list[dict[int, int]]]:
    """Level codes overall, and per member {community row: code} where they took part."""
    author, community = contributions.author, contributions.community
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


def _codes(rows: np.ndarray, weights: np.ndarray, member_ids: Sequence[str]) -> dict[int, int]:
    """Member row -> level code, for the given member rows with their weights."""
    levels = participation_levels(
        {member_ids[r]: float(w) for r, w in zip(rows, weights, strict=True) if w > 0}
    )
    return {int(r): LEVELS.index(levels.get(member_ids[r], "newcomer")) for r in rows}


def _share(count: int, percent: int) -> int:
    """`percent` of `count`, rounded half up, in integers."""
    return (count * percent + 50) // 100
