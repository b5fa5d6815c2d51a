"""Evidence-based expert ranking: authors collect votes from their contributions relevant to a query."""

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from models.retrieval import Candidates, FusionWeights, retrieve
from models.snapshot import KINDS, Snapshot

DEFAULT_KIND_WEIGHTS = {
    "answer": 1.0,
    "solution": 1.2,
    "document": 0.8,
    "post": 0.6,
    "comment": 0.3,
    "question": 0.1,  # asking shows interest, not expertise
}
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class ExpertWeights:
    """Every knob of the expert ranker; each signal can be switched off for ablations."""

    fusion: FusionWeights = field(default_factory=FusionWeights)
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    use_kind_weights: bool = True
    accepted_bonus: float = 1.0  # an accepted answer or validated solution counts (1 + bonus)×
    score_weight: float = 0.15  # × log1p(votes)
    half_life_days: float = 365.0
    use_recency: bool = True
    relevance_power: float = 2.0  # sharpens relevance so near matches dominate
    profile_weight: float = 0.15  # interest is not expertise: profile similarity counts less
    use_profile: bool = True
    load_penalty: float = 0.15  # score / (1 + penalty · log1p(recent recommendations))
    use_load_spreading: bool = True
    evidence_shown: int = 3


@dataclass
class Evidence:
    """One contribution that supports an expert, with why it counted."""

    row: int
    similarity: float
    weight: float


@dataclass
class ExpertHit:
    """A ranked member with the evidence behind the score."""

    member: int
    score: float
    profile_similarity: float
    evidence: list[Evidence]  # the strongest few
    support: int  # matching contributions in all
    accepted_support: int  # of which accepted answers or validated solutions


def _kind_factor(snapshot: Snapshot, rows: np.ndarray, weights: ExpertWeights) -> np.ndarray:
    """Per-row weight for the kind of contribution and whether it was accepted."""
    contributions = snapshot.contributions
    if weights.use_kind_weights:
        table = np.array([weights.kind_weights.get(k, 0.5) for k in KINDS], dtype=np.float32)
        factor = table[contributions.kind[rows]]
        factor = factor * (1 + weights.accepted_bonus * contributions.accepted[rows])
    else:
        factor = np.where(contributions.kind[rows] == KINDS.index("question"), 0.0, 1.0)
    votes = np.maximum(contributions.score[rows], 0)
    return factor * (1 + weights.score_weight * np.log1p(votes))


def recency_factor(created: np.ndarray, now: float, half_life_days: float) -> np.ndarray:
    """Exponential decay of evidence with age: 0.5 at one half-life."""
    age_days = np.maximum(now - created, 0.0) / SECONDS_PER_DAY
    return np.power(0.5, age_days / half_life_days)


def _evidence_weights(snapshot: Snapshot, found: Candidates, weights: ExpertWeights) -> np.ndarray:
    """The vote each candidate contribution gives its author."""
    vote = np.power(found.relevance, weights.relevance_power) * _kind_factor(snapshot, found.rows, weights)
    if weights.use_recency:
        created = snapshot.contributions.created[found.rows]
        vote = vote * recency_factor(created, snapshot.reference_time, weights.half_life_days)
    return vote


def _community_rows(snapshot: Snapshot, community: int) -> set[int]:
    """The community and its sub-communities."""
    parents = snapshot.communities.parent
    return {c for c in range(len(parents)) if c == community or parents[c] == community}


def _eligible(snapshot: Snapshot, exclude: Collection[int]) -> np.ndarray:
    """Members that may be recommended: discoverable and not excluded."""
    ok = np.array(snapshot.members.discoverable, dtype=bool)
    ok[list(exclude)] = False
    return ok


def rank_experts(
    snapshot: Snapshot,
    query_vector: np.ndarray,
    query_text: str,
    k: int,
    *,
    community: int | None = None,
    exclude: Collection[int] = (),
    exposure: np.ndarray | None = None,
    weights: ExpertWeights = ExpertWeights(),
) -> list[ExpertHit]:
    """Rank members for a question by the evidence of their contributions.

    Args:
        snapshot: the index version to search.
        query_vector: the normalized query embedding.
        query_text: the raw query, for the lexical signal.
        k: how many experts to return.
        community: only members of this community row, with evidence from it (and its children).
        exclude: member rows never returned (the asker).
        exposure: per-member count of recent recommendations, for load spreading.
        weights: the ranking knobs.
    Returns:
        Up to k experts, best first, each with their strongest evidence.
    """
    depth = weights.fusion.candidates * (4 if community is not None else 1)
    found = retrieve(snapshot, query_vector, query_text, weights.fusion, depth)
    authors = snapshot.contributions.author[found.rows]
    votes = _evidence_weights(snapshot, found, weights)
    if community is not None:
        allowed = _community_rows(snapshot, community)
        votes = votes * np.isin(snapshot.contributions.community[found.rows], list(allowed))
    n_members = len(snapshot.members)
    scores = np.bincount(authors, weights=votes, minlength=n_members).astype(np.float32)
    profile = np.zeros(n_members, np.float32)
    if weights.use_profile:
        profile = snapshot.profile_vectors @ query_vector
        scores += weights.profile_weight * np.maximum(profile, 0) * (scores.max() if scores.any() else 1)
    eligible = _eligible(snapshot, exclude)
    if community is not None:
        members_of = np.array([community in c for c in snapshot.members.communities], dtype=bool)
        eligible &= members_of | (scores > 0)
    if weights.use_load_spreading and exposure is not None:
        scores = scores / (1 + weights.load_penalty * np.log1p(exposure))
    scores = np.where(eligible, scores, 0.0)
    top = [int(m) for m in np.argsort(-scores, kind="stable")[:k] if scores[m] > 0]
    return [_hit(snapshot, m, scores, profile, authors, found, votes, weights.evidence_shown) for m in top]


def _hit(
    snapshot: Snapshot,
    member: int,
    scores: np.ndarray,
    profile: np.ndarray,
    authors: np.ndarray,
    found: Candidates,
    votes: np.ndarray,
    shown: int,
) -> ExpertHit:
    """Package one member's score with their strongest pieces of evidence."""
    mine = np.flatnonzero((authors == member) & (votes > 0))
    best = mine[np.argsort(-votes[mine], kind="stable")[:shown]]
    evidence = [Evidence(int(found.rows[i]), float(found.similarity[i]), float(votes[i])) for i in best]
    accepted = int(snapshot.contributions.accepted[found.rows[mine]].sum())
    return ExpertHit(
        member, float(scores[member]), float(profile[member]), evidence, len(mine), accepted
    )
