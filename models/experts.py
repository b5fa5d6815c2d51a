"""Evidence-based expert ranking: who is most likely to give the accepted answer to a question.

Retrieval finds the contributions closest to the question (dense and BM25); their authors are
the candidates (only members with evidence are ranked). Each candidate is described by the
features of `models.expert_features` and scored by the snapshot's ranker, a conditional logit
learned from the organization's own accepted answers: the score is the estimated probability
that this member gives the accepted answer, among the candidates shown.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from models.evidence import EvidenceWeights, allowed_communities, discoverable, hidden_evidence, worth
from models.expert_features import FEATURES, REGULARS, SIGNALS, candidate_evidence, feature_matrix
from models.ranker import RankerModel, softmax
from models.retrieval import Candidates, FusionWeights, retrieve
from models.snapshot import Snapshot


@dataclass(frozen=True)
class ExpertWeights:
    """The expert ranker's fixed knobs; the feature weights themselves are learned (`Snapshot.ranker`)."""

    fusion: FusionWeights = field(default_factory=FusionWeights)
    evidence: EvidenceWeights = field(default_factory=EvidenceWeights)
    off: frozenset[str] = frozenset()  # names of SIGNALS left out (ablations, mentors)
    ranker: RankerModel | None = None  # None: the snapshot's learned ranker
    load_penalty: float = 0.15  # score / (1 + penalty · log1p(recent recommendations))
    use_load_spreading: bool = True
    evidence_shown: int = 3
    regulars: int = REGULARS  # the most active members, candidates for every question

    def features_off(self) -> frozenset[str]:
        """The feature names the switched-off signals cover."""
        return frozenset().union(*(SIGNALS[name] for name in self.off))


@dataclass
class Evidence:
    """One contribution that supports an expert: its row, cosine similarity (None: keyword match), weight."""

    row: int
    similarity: float | None
    weight: float


MATCH_SIMILARITY = 0.35  # a contribution this close to the question (cosine) really matches it
KEYWORD_MATCH = 0.5  # a keyword-only hit matches when its BM25 score is this share of the best one
MIN_CONFIDENCE = 0.05  # below this for the best candidate, nobody is said to match


@dataclass
class ExpertHit:
    """A ranked member with the evidence behind the score."""

    member: int
    score: float
    profile_similarity: float
    evidence: list[Evidence]  # the strongest few that really match the question
    support: int  # contributions that really match, in all
    accepted_support: int  # of which accepted answers or validated solutions
    confidence: float = 0.0  # calibrated: the chance this member gives the accepted answer


def anyone_matches(hits: list[ExpertHit]) -> bool:
    """Whether someone in the organization has written about the question: the best candidate is
    confident enough and someone's contributions really match it."""
    return bool(hits) and max(h.confidence for h in hits) >= MIN_CONFIDENCE and any(h.support for h in hits)


@dataclass
class MemberScores:
    """The candidates of one query (members with evidence, eligible) and their ranker utilities."""

    members: np.ndarray
    utilities: np.ndarray


def score_candidates(
    snapshot: Snapshot,
    found: Candidates,
    query_vector: np.ndarray,
    weights: ExpertWeights,
    *,
    community: int | None = None,
    exclude: Collection[int] = (),
) -> tuple[MemberScores, np.ndarray]:
    """Utilities of the eligible members with evidence for the query, and their feature matrix.

    Args:
        snapshot: the index version (or a training view of it).
        found: what retrieval found for the query.
        query_vector: the normalized query embedding.
        weights: the ranking knobs.
        community: only evidence from this community row (and its children) counts.
        exclude: member rows never ranked (the asker).
    Returns:
        The candidates with their utilities, and their features (rows aligned).
    """
    allowed = allowed_communities(snapshot, community)
    evidence = candidate_evidence(snapshot, found, weights.evidence, allowed, weights.regulars)
    matched = (evidence.dense > 0) | (evidence.lexical > 0)
    keep = (matched | evidence.regular) & discoverable(snapshot)[evidence.members]
    if len(exclude):
        keep &= ~np.isin(evidence.members, np.asarray(list(exclude), dtype=np.int64))
    features = feature_matrix(snapshot, found, query_vector, evidence, keep, weights.evidence)
    members = evidence.members[keep]
    ranker = weights.ranker or snapshot.ranker
    utilities = ranker.utilities(features, FEATURES, weights.features_off())
    return MemberScores(members, utilities), features


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
    scored, features = score_candidates(
        snapshot, found, query_vector, weights, community=community, exclude=exclude
    )
    if scored.members.size == 0:
        return []
    utilities = scored.utilities
    if weights.use_load_spreading and exposure is not None:
        utilities = utilities - np.log1p(weights.load_penalty * np.log1p(exposure[scored.members]))
    scores = softmax(utilities)
    order = np.argsort(-scores, kind="stable")[:k]
    profile = features[:, FEATURES.index("profile")]
    ranker = weights.ranker or snapshot.ranker
    confidence = ranker.confidence(softmax(scored.utilities), features[:, FEATURES.index("best_match")])
    ranked = [(int(scored.members[i]), float(scores[i]), float(profile[i])) for i in order]
    hits = _explain(snapshot, ranked, found, weights, allowed_communities(snapshot, community))
    for hit, i in zip(hits, order, strict=True):
        hit.confidence = float(confidence[i])
    return hits


def really_matching(found: Candidates, rows: np.ndarray) -> np.ndarray:
    """Bool per row: close to the question by cosine, or (found by keywords only) a strong keyword hit."""
    cosine = np.array([found.cosine.get(int(r), np.nan) for r in rows], dtype=np.float64)
    keyword = dict(zip(found.lexical.rows.tolist(), found.lexical.strength.tolist(), strict=True))
    strength = np.array([keyword.get(int(r), 0.0) for r in rows])
    return np.where(np.isnan(cosine), strength >= KEYWORD_MATCH, cosine >= MATCH_SIMILARITY)


def _explain(
    snapshot: Snapshot,
    ranked: list[tuple[int, float, float]],
    found: Candidates,
    weights: ExpertWeights,
    allowed: np.ndarray | None,
) -> list[ExpertHit]:
    """Attach to each (member, score, profile similarity) their strongest matching contributions."""
    rows, relevance = found.fused(weights.fusion.lexical_weight)
    value = relevance * worth(snapshot, rows, weights.evidence) * ~hidden_evidence(snapshot, rows)
    if allowed is not None:
        value = value * allowed[snapshot.contributions.community[rows] + 1]
    authors = snapshot.contributions.author[rows]
    accepted = snapshot.contributions.accepted[rows]
    value = np.where(really_matching(found, rows), value, 0.0)
    hits = []
    for member, score, profile in ranked:
        mine = np.flatnonzero((authors == member) & (value > 0))
        best = mine[np.argsort(-value[mine], kind="stable")[: weights.evidence_shown]]
        evidence = [Evidence(int(rows[i]), found.cosine.get(int(rows[i])), float(value[i])) for i in best]
        hits.append(ExpertHit(member, score, profile, evidence, len(mine), int(accepted[mine].sum())))
    return hits
