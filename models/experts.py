"""Evidence-based expert ranking: authors collect votes from their contributions relevant to a query.

A member's score adds four normalized signals: dense votes (semantic neighbours of the query they
wrote), lexical votes (BM25 hits they wrote: rare terms such as error codes), their share of the
recent activity in the communities the query's evidence falls in, and their recent activity overall.
Only members with evidence for the query are ranked. Recency is measured on the organization's own
clock: a contribution's age is the share of all contributions made after it, so a half-life means
"after the organization wrote another half of its contributions", whatever its pace.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from models.retrieval import Candidates, FusionWeights, Hits, retrieve
from models.snapshot import KINDS, Snapshot

DEFAULT_KIND_WEIGHTS = {
    "answer": 1.0,
    "solution": 1.2,
    "document": 0.8,
    "post": 0.6,
    "comment": 0.3,
    "question": 0.1,  # asking shows interest, not expertise
}
QUESTION = KINDS.index("question")


@dataclass(frozen=True)
class ExpertWeights:
    """Every knob of the expert ranker; each signal can be switched off for ablations."""

    fusion: FusionWeights = field(default_factory=FusionWeights)
    lexical_vote_weight: float = 0.5
    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    use_kind_weights: bool = True
    accepted_bonus: float = 1.0  # an accepted answer or validated solution counts (1 + bonus)×
    score_weight: float = 0.15  # × (1 + w · log1p(votes))
    evidence_half_life: float = 0.5  # share of the organization's contributions
    use_recency: bool = True
    community_weight: float = 0.5  # activity share in the query's communities
    use_community: bool = True
    activity_weight: float = 0.5  # recent activity overall is itself a strong signal
    activity_half_life: float = 0.05
    use_activity: bool = True
    profile_weight: float = 0.15  # interest is not expertise: profile similarity counts less
    use_profile: bool = True
    load_penalty: float = 0.15  # score / (1 + penalty · log1p(recent recommendations))
    use_load_spreading: bool = True
    evidence_shown: int = 3


@dataclass
class Evidence:
    """One contribution that supports an expert: its row, cosine similarity (None: keyword match), weight."""

    row: int
    similarity: float | None
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


def age_share(snapshot: Snapshot) -> np.ndarray:
    """Per contribution: the share of all contributions created strictly after it (0 = newest), cached."""
    cache = snapshot.cache
    if "age_share" not in cache:
        created = np.asarray(snapshot.contributions.created)
        newer = len(created) - np.searchsorted(np.sort(created), created, side="right")
        cache["age_share"] = newer / max(len(created), 1)
    return cache["age_share"]


def decay(snapshot: Snapshot, rows: np.ndarray | slice, half_life: float) -> np.ndarray:
    """0.5 ** (age share / half-life) for the given rows."""
    return np.power(0.5, age_share(snapshot)[rows] / half_life)


def _contribution_weight(
    snapshot: Snapshot, rows: np.ndarray, weights: ExpertWeights
) -> np.ndarray:
    """What one contribution is worth as evidence: kind, acceptance, votes and age."""
    contributions = snapshot.contributions
    kinds = contributions.kind[rows]
    if weights.use_kind_weights:
        table = np.array([weights.kind_weights.get(k, 0.5) for k in KINDS], dtype=np.float32)
        factor = table[kinds] * (1 + weights.accepted_bonus * contributions.accepted[rows])
    else:
        factor = np.where(kinds == QUESTION, 0.0, 1.0)
    factor = factor * (
        1 + weights.score_weight * np.log1p(np.maximum(contributions.score[rows], 0))
    )
    if weights.use_recency:
        factor = factor * decay(snapshot, rows, weights.evidence_half_life)
    return factor


def _votes(
    snapshot: Snapshot, hits: Hits, weights: ExpertWeights, allowed: np.ndarray | None
) -> np.ndarray:
    """Per-member sum of the hits' strength × worth, scaled so the top member has 1."""
    worth = hits.strength * _contribution_weight(snapshot, hits.rows, weights)
    if allowed is not None:
        worth = worth * allowed[snapshot.contributions.community[hits.rows] + 1]
    authors = snapshot.contributions.author[hits.rows]
    votes = np.bincount(authors, weights=worth, minlength=len(snapshot.members))
    return votes / max(votes.max(), 1e-12)


def member_activity(snapshot: Snapshot, weights: ExpertWeights) -> np.ndarray:
    """Per member: recency-decayed count of non-question contributions, scaled to max 1 (cached)."""
    key = ("activity", weights.activity_half_life)
    if key not in snapshot.cache:
        c = snapshot.contributions
        worth = (np.asarray(c.kind) != QUESTION) * decay(
            snapshot, slice(None), weights.activity_half_life
        )
        activity = np.bincount(c.author, weights=worth, minlength=len(snapshot.members))
        snapshot.cache[key] = activity / max(activity.max(), 1e-12)
    return snapshot.cache[key]


def community_activity(snapshot: Snapshot, weights: ExpertWeights) -> sparse.csr_matrix:
    """Communities × members: each member's share of a community's recent answers (cached)."""
    key = ("community_activity", weights.activity_half_life)
    if key not in snapshot.cache:
        c = snapshot.contributions
        keep = np.flatnonzero((np.asarray(c.kind) != QUESTION) & (np.asarray(c.community) >= 0))
        worth = decay(snapshot, keep, weights.activity_half_life)
        shape = (len(snapshot.communities), len(snapshot.members))
        matrix = sparse.csr_matrix((worth, (c.community[keep], c.author[keep])), shape)
        totals = np.asarray(matrix.sum(axis=1)).ravel()
        snapshot.cache[key] = sparse.csr_matrix(
            sparse.diags(1 / np.maximum(totals, 1e-12)) @ matrix
        )
    return snapshot.cache[key]


def _community_share(snapshot: Snapshot, hits: Hits, weights: ExpertWeights) -> np.ndarray:
    """Members' share of activity in the communities where the query's neighbours are, max 1."""
    communities = snapshot.contributions.community[hits.rows]
    inside = communities >= 0
    worth = hits.strength * _contribution_weight(snapshot, hits.rows, weights)
    mix = np.bincount(
        communities[inside], weights=worth[inside], minlength=len(snapshot.communities)
    )
    if not mix.any():
        return np.zeros(len(snapshot.members))
    share = community_activity(snapshot, weights).T @ (mix / mix.sum())
    return share / max(share.max(), 1e-12)


def _allowed_communities(snapshot: Snapshot, community: int | None) -> np.ndarray | None:
    """Mask over community rows shifted by one (index 0 = no community): the community and its children."""
    if community is None:
        return None
    parents = np.asarray(snapshot.communities.parent)
    allowed = (np.arange(len(parents)) == community) | (parents == community)
    return np.concatenate([[False], allowed]).astype(np.float32)


def _eligible(snapshot: Snapshot, exclude: Collection[int]) -> np.ndarray:
    """Members that may be recommended: discoverable (as an array, cached) and not excluded."""
    if "discoverable" not in snapshot.cache:
        snapshot.cache["discoverable"] = np.array(snapshot.members.discoverable, dtype=bool)
    ok = snapshot.cache["discoverable"].copy()
    ok[list(exclude)] = False
    return ok


def score_members(
    snapshot: Snapshot,
    found: Candidates,
    query_vector: np.ndarray,
    weights: ExpertWeights,
    community: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every member's expertise score for the query (0 = no evidence) and profile similarity.

    Only members with evidence are ranked, so only their profiles are compared with the query
    (the others' similarity is left 0): at 50k members the full product cost ~10 ms a query.
    """
    allowed = _allowed_communities(snapshot, community)
    evidence = _votes(snapshot, found.dense, weights, allowed)
    if found.lexical.rows.size:
        evidence = evidence + weights.lexical_vote_weight * _votes(
            snapshot, found.lexical, weights, allowed
        )
    scores = evidence.copy()
    if weights.use_community:
        scores += weights.community_weight * _community_share(snapshot, found.dense, weights)
    if weights.use_activity:
        scores += weights.activity_weight * member_activity(snapshot, weights)
    profile = np.zeros(len(snapshot.members), np.float32)
    if weights.use_profile:
        ranked = np.flatnonzero(evidence > 0)
        profile[ranked] = snapshot.profile_vectors[ranked] @ query_vector
        scores += weights.profile_weight * np.maximum(profile, 0)
    return np.where(evidence > 0, scores, 0.0), profile


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
        community: only evidence from this community row (and its children).
        exclude: member rows never returned (the asker).
        exposure: per-member count of recent recommendations, for load spreading.
        weights: the ranking knobs.
    Returns:
        Up to k experts, best first, each with their strongest evidence.
    """
    depth = weights.fusion.candidates * (4 if community is not None else 1)
    found = retrieve(snapshot, query_vector, query_text, weights.fusion, depth)
    scores, profile = score_members(snapshot, found, query_vector, weights, community)
    if weights.use_load_spreading and exposure is not None:
        scores = scores / (1 + weights.load_penalty * np.log1p(exposure))
    scores = np.where(_eligible(snapshot, exclude), scores, 0.0)
    ranked = np.flatnonzero(scores > 0)  # sorting these few, not every member, gives the same top
    top = ranked[np.argsort(-scores[ranked], kind="stable")[:k]].tolist()
    return _explain(
        snapshot, top, scores, profile, found, weights, _allowed_communities(snapshot, community)
    )


def _explain(
    snapshot: Snapshot,
    members: list[int],
    scores: np.ndarray,
    profile: np.ndarray,
    found: Candidates,
    weights: ExpertWeights,
    allowed: np.ndarray | None,
) -> list[ExpertHit]:
    """Attach to each ranked member their strongest matching contributions (from `allowed` communities)."""
    rows, relevance = found.fused(weights.fusion.lexical_weight)
    worth = relevance * _contribution_weight(snapshot, rows, weights)
    if allowed is not None:
        worth = worth * allowed[snapshot.contributions.community[rows] + 1]
    authors = snapshot.contributions.author[rows]
    accepted = snapshot.contributions.accepted[rows]
    hits = []
    for member in members:
        mine = np.flatnonzero((authors == member) & (worth > 0))
        best = mine[np.argsort(-worth[mine], kind="stable")[: weights.evidence_shown]]
        evidence = [
            Evidence(int(rows[i]), found.cosine.get(int(rows[i])), float(worth[i])) for i in best
        ]
        hits.append(
            ExpertHit(
                member,
                float(scores[member]),
                float(profile[member]),
                evidence,
                len(mine),
                int(accepted[mine].sum()),
            )
        )
    return hits
