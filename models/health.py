"""A community's health over time: participation levels per quarter, newcomer progression and
questions still without an accepted answer.

Per calendar quarter (UTC), the members who contributed in the community (its sub-communities
included) then are counted once each: those whose first contribution there falls in the quarter
are newcomers; the others get the participation rule's level (`models.participation`) from
their kind-weighted contributions in the quarter. So the counts of a quarter add up to its
contributors. Newcomer progression (legitimate peripheral participation, measured): of the
newcomers of a quarter, how many were active or core in one of the two quarters after it; a
cohort is complete once both quarters are in the history.
"""

from dataclasses import dataclass, field

import numpy as np

from models.evidence import QUESTION
from models.participation import KIND_WEIGHTS, LEVELS, participation_levels
from models.snapshot import KINDS, Snapshot
from models.topics import subtrees

FOLLOW_QUARTERS = 2
QUARTER_LEVELS = ("core", "active", "peripheral", "newcomer")
_KIND_WEIGHT = np.array([KIND_WEIGHTS[k] for k in KINDS])


@dataclass
class Quarter:
    """Who took part in one quarter, by level."""

    label: str  # e.g. 2025-Q3
    counts: dict[str, int]  # level -> members; they add up to `contributors`
    contributors: int


@dataclass
class Cohort:
    """The newcomers of one quarter and how many of them became active within two quarters."""

    label: str
    newcomers: int
    progressed: int
    complete: bool


@dataclass
class CommunityHealth:
    """What `community_health` reports for one community."""

    levels_now: dict[str, int]
    quarters: list[Quarter] = field(default_factory=list)
    cohorts: list[Cohort] = field(default_factory=list)
    unanswered: list[int] = field(default_factory=list)  # question rows, newest first

    @property
    def progression(self) -> float | None:
        """Share of the newcomers of complete cohorts who progressed; None without any."""
        done = [c for c in self.cohorts if c.complete]
        newcomers = sum(c.newcomers for c in done)
        return sum(c.progressed for c in done) / newcomers if newcomers else None


def quarter_of(created: np.ndarray) -> np.ndarray:
    """Quarter number (years since 1970 × 4 + quarter) of unix seconds."""
    months = np.asarray(created).astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    return months // 3


def quarter_label(number: int) -> str:
    """`2025-Q3` for a quarter number."""
    return f"{1970 + number // 4}-Q{number % 4 + 1}"


def community_rows(snapshot: Snapshot, community: int) -> np.ndarray:
    """Rows of the contributions in the community or any of its sub-communities."""
    inside = subtrees(snapshot.communities.parent)[community]
    placed = np.asarray(snapshot.contributions.community)
    return np.flatnonzero((placed >= 0) & inside[np.maximum(placed, 0)])


def levels_now(snapshot: Snapshot, community: int) -> dict[str, int]:
    """Members of the community by their level there in this index version."""
    counts = dict.fromkeys(QUARTER_LEVELS, 0)
    for levels in snapshot.members.community_level:
        if community in levels:
            counts[LEVELS[levels[community]]] += 1
    return counts


def _quarter_levels(authors: np.ndarray, weights: np.ndarray, first: set[int]) -> dict[int, str]:
    """Level of each contributor of one quarter (newcomer when first seen in it)."""
    totals = np.bincount(authors, weights=weights)
    returning = {str(m): float(totals[m]) for m in np.unique(authors).tolist() if m not in first}
    ranked = participation_levels(returning)
    levels = {int(m): level for m, level in ranked.items()}
    levels.update(dict.fromkeys(first, "newcomer"))
    return levels


def community_health(snapshot: Snapshot, community: int) -> CommunityHealth:
    """Levels now and per quarter, newcomer cohorts and unanswered questions of one community row."""
    c = snapshot.contributions
    rows = community_rows(snapshot, community)
    health = CommunityHealth(levels_now(snapshot, community))
    if rows.size == 0:
        return health
    authors = np.asarray(c.author)[rows]
    quarters = quarter_of(np.asarray(c.created)[rows])
    weights = _KIND_WEIGHT[np.asarray(c.kind)[rows]]
    first_quarter = np.full(len(snapshot.members), np.iinfo(np.int64).max)
    np.minimum.at(first_quarter, authors, quarters)
    by_quarter: dict[int, dict[int, str]] = {}
    for q in range(int(quarters.min()), int(quarters.max()) + 1):
        inside = quarters == q
        first = {int(m) for m in np.unique(authors[inside]) if first_quarter[m] == q}
        by_quarter[q] = _quarter_levels(authors[inside], weights[inside], first) if inside.any() else {}
        counts = dict.fromkeys(QUARTER_LEVELS, 0)
        for level in by_quarter[q].values():
            counts[level] += 1
        health.quarters.append(Quarter(quarter_label(q), counts, len(by_quarter[q])))
    last = int(quarters.max())
    for q, levels in by_quarter.items():
        newcomers = [m for m, level in levels.items() if level == "newcomer"]
        later = [by_quarter.get(q + step, {}) for step in range(1, FOLLOW_QUARTERS + 1)]
        progressed = sum(any(lv.get(m) in ("core", "active") for lv in later) for m in newcomers)
        health.cohorts.append(
            Cohort(quarter_label(q), len(newcomers), progressed, q + FOLLOW_QUARTERS <= last)
        )
    health.unanswered = unanswered_questions(snapshot, rows)
    return health


def unanswered_questions(snapshot: Snapshot, rows: np.ndarray) -> list[int]:
    """Question rows among `rows` whose thread has no accepted answer or solution, newest first."""
    c = snapshot.contributions
    kinds, thread = np.asarray(c.kind)[rows], np.asarray(c.thread)[rows]
    settled = np.unique(thread[np.asarray(c.accepted)[rows] & (kinds != QUESTION)])
    open_rows = rows[(kinds == QUESTION) & ~np.isin(thread, settled)]
    return [int(r) for r in open_rows[np.argsort(-np.asarray(c.created)[open_rows], kind="stable")]]
