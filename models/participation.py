"""Participation levels in a community of practice: core, active, peripheral, newcomer.

Rule: members are ranked by a recency-weighted contribution count. Each contribution weighs
0.5 ** (age_days / half_life_days), times 1 for answers, solutions and documents and 0.5 for
questions, comments and posts. Core = the top 15% of contributors (at least one), active =
the next 35%, peripheral = the other contributors (shares rounded half up); members without
contributions are newcomers. Equal weights are ranked by member id so levels are stable.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

LEVELS = ("core", "active", "peripheral", "newcomer")
KIND_WEIGHTS = {
    "answer": 1.0,
    "solution": 1.0,
    "document": 1.0,
    "question": 0.5,
    "comment": 0.5,
    "post": 0.5,
}
CORE_PERCENT = 15
ACTIVE_PERCENT = 35


def contribution_weight(kind: str, age_days: float, half_life_days: float = 365.0) -> float:
    """Weight of one contribution of `kind` that is `age_days` old.

    Args:
        kind: contribution kind (question, answer, post, comment, document, solution).
        age_days: age relative to the reference time; negative ages count as new.
        half_life_days: age at which a contribution weighs half.
    Returns:
        KIND_WEIGHTS[kind] * 0.5 ** (age_days / half_life_days).
    """
    return KIND_WEIGHTS[kind] * 0.5 ** (max(age_days, 0.0) / half_life_days)


def weighted_counts(
    contributions: Iterable[tuple[str, str, datetime]],
    now: datetime,
    half_life_days: float = 365.0,
) -> dict[str, float]:
    """Sum contribution weights per member.

    Args:
        contributions: (member id, kind, created_at) triples.
        now: reference time for ages (e.g. the newest contribution).
        half_life_days: see contribution_weight.
    Returns:
        Weighted count per member that has contributions.
    """
    weights: dict[str, float] = defaultdict(float)
    for member, kind, created_at in contributions:
        age_days = (now - created_at).total_seconds() / 86400
        weights[member] += contribution_weight(kind, age_days, half_life_days)
    return dict(weights)


def participation_levels(weights_by_member: Mapping[str, float]) -> dict[str, str]:
    """Level of every member of one community from their weighted contribution counts.

    Args:
        weights_by_member: weighted count per member; 0 for members without contributions.
    Returns:
        "core", "active", "peripheral" or "newcomer" per member (see the module rule).
    """
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


def _share(count: int, percent: int) -> int:
    """`percent` of `count`, rounded half up, in integers."""
    return (count * percent + 50) // 100
