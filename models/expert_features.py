"""The features the expert ranker scores a candidate member by, for one question.

Query features come from the retrieved evidence: dense and keyword votes, the member's closest
match, their topic centroid's similarity, their share of the query's communities, their
profile, and how the tags of what they answered meet the query's. Member features come from their
whole record: activity at three half-lives, when they were last active, how much they
contributed, how much of it was accepted, how much they asked; and from feedback on earlier
suggestions: how responsive they were. Each is on a natural scale (logs of counts and votes,
cosines, shares) so that weights carry over between organizations.
"""

from collections.abc import Hashable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy import sparse

from models.evidence import (
    DERIVED,
    QUESTION,
    EvidenceWeights,
    age_share,
    decay,
    discoverable,
    hidden_evidence,
    kind_table,
    visible_rows,
    worth,
)
from models.ranker import RankerModel
from models.retrieval import Candidates
from models.snapshot import Snapshot
from models.tag_features import member_tags, query_tags, tag_matrix

QUERY_FEATURES = ("dense", "lexical", "best_match", "topic", "community", "profile", "tag_share", "tag_match")
MEMBER_FEATURES = (
    "activity_recent",
    "activity",
    "activity_long",
    "last_active",
    "contributions",
    "accepted",
    "acceptance",
    "questions",
)
FEEDBACK_FEATURES = ("responsive",)
FEATURES = QUERY_FEATURES + MEMBER_FEATURES + FEEDBACK_FEATURES
SIGNALS = {  # feature groups switched off together (ablations; mentors ignore busyness); not feedback
    "lexical": frozenset({"lexical"}),
    "topic": frozenset({"best_match", "topic"}),
    "community": frozenset({"community"}),
    "profile": frozenset({"profile"}),
    "tags": frozenset({"tag_share", "tag_match"}),
    "activity": frozenset({"activity_recent", "activity", "activity_long", "last_active"}),
    "track-record": frozenset({"contributions", "accepted", "acceptance", "questions"}),
}
ACTIVITY_HALF_LIVES = (0.02, 0.1, 0.5)  # shares of the organization's contributions
ACTIVITY_SCALE = 20.0  # log1p(20 · decayed count) spreads the small counts apart
COMMUNITY_HALF_LIFE = 0.1
REGULARS = 20  # the most active members, candidates for every question (see `regulars`)
VOTE_FLOOR = 0.01  # log(votes + floor): no votes is a finite, low value
SHARE_FLOOR = 0.001
FEEDBACK_PRIOR = 1.0  # pseudo-count: one outcome moves responsiveness by at most 1/2
DEFAULT_RANKER = RankerModel(  # an organization with too little history gets these weights:
    FEATURES,  # the mean of those learned on the dba and history bundles; profile set, not learned;
    # tags not learned (0: an organization's own fit decides); responsive set, not learned (no bundle
    # has feedback): always unanswered weighs e^-1
    (0.10, 0.07, 0.78, 5.46, 0.49, 0.5, 0.0, 0.0, 0.37, 0.14, 0.31, 2.21, 0.04, -0.69, 3.88, 0.22, 1.0),
)


def responsiveness(helpful: np.ndarray, silent: np.ndarray) -> np.ndarray:
    """Per member, (helpful - no response) / (outcomes + FEEDBACK_PRIOR): from -1 to 1, 0 = no feedback."""
    helpful, silent = np.asarray(helpful, np.float32), np.asarray(silent, np.float32)
    balance: np.ndarray = (helpful - silent) / (helpful + silent + FEEDBACK_PRIOR)
    return balance


def _evidence_rows(snapshot: Snapshot) -> np.ndarray:
    """Rows that show expertise: visible contributions other than questions."""
    kinds = np.asarray(snapshot.contributions.kind)
    return np.flatnonzero(visible_rows(snapshot) & (kinds != QUESTION))


def member_stats(snapshot: Snapshot, weights: EvidenceWeights) -> np.ndarray:
    """(members, len(MEMBER_FEATURES)) float32: each member's record (cached at load)."""
    table = kind_table(weights)
    return snapshot.derived(("member_stats", table.tobytes()), lambda s: _member_stats(s, table))


def _member_stats(snapshot: Snapshot, table: np.ndarray) -> np.ndarray:
    c = snapshot.contributions
    rows = _evidence_rows(snapshot)
    authors, age = c.author[rows], age_share(snapshot)[rows]
    size = len(snapshot.members)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(authors, weights=values, minlength=size)

    kind = table[c.kind[rows]]
    activity = [np.log1p(ACTIVITY_SCALE * total(kind * 0.5 ** (age / h))) for h in ACTIVITY_HALF_LIVES]
    last = np.full(size, -1.0)
    np.maximum.at(last, authors, -age)
    count, accepted = total(np.ones(len(rows))), total(c.accepted[rows].astype(np.float64))
    asked = visible_rows(snapshot) & (np.asarray(c.kind) == QUESTION)
    questions = np.bincount(c.author[asked], minlength=size)
    columns = [
        *activity,
        last,
        np.log1p(count),
        np.log1p(accepted),
        (accepted + 1) / (count + 3),
        np.log1p(questions),
    ]
    return np.stack(columns, axis=1).astype(np.float32)


def topic_vectors(snapshot: Snapshot, vectors: np.ndarray, weights: EvidenceWeights) -> np.ndarray:
    """(members, dim) float32: the normalized, worth-weighted mean of each member's evidence vectors.

    Args:
        snapshot: whose visible contributions count.
        vectors: the contribution embeddings, row-aligned with the snapshot.
        weights: how contributions are weighed.
    Returns:
        One unit row per member; zero for a member without evidence.
    """
    c = snapshot.contributions
    rows = _evidence_rows(snapshot)
    shape = (len(snapshot.members), len(c))
    matrix = sparse.csr_matrix((worth(snapshot, rows, weights), (c.author[rows], rows)), shape)
    sums = np.asarray(matrix @ vectors, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1.0)


def community_activity(snapshot: Snapshot, weights: EvidenceWeights) -> sparse.csr_matrix:
    """Members × communities: each member's share of a community's recent evidence (cached at load)."""
    table = kind_table(weights)
    return snapshot.derived(("community_activity", table.tobytes()), lambda s: _community_activity(s, table))


def _community_activity(snapshot: Snapshot, table: np.ndarray) -> sparse.csr_matrix:
    c = snapshot.contributions
    rows = _evidence_rows(snapshot)
    rows = rows[np.asarray(c.community)[rows] >= 0]
    value = table[c.kind[rows]] * decay(snapshot, rows, COMMUNITY_HALF_LIFE)
    shape = (len(snapshot.members), len(snapshot.communities))
    matrix = sparse.csr_matrix((value, (c.author[rows], c.community[rows])), shape)
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    return sparse.csr_matrix(matrix @ sparse.diags(1 / np.maximum(totals, 1e-12)))


def with_caches(snapshot: Snapshot, weights: EvidenceWeights) -> Snapshot:
    """The snapshot with the arrays every request derives from it computed once, for `weights`
    (call it where a version is loaded or a training view made, never on the request path)."""
    cache: dict[Hashable, Any] = {}
    staged = replace(snapshot, cache=cache)  # later entries read the earlier ones through it
    table = kind_table(weights)
    for key, compute in DERIVED:
        cache[key] = compute(staged)
    cache[("member_stats", table.tobytes())] = _member_stats(staged, table)
    cache[("community_activity", table.tobytes())] = _community_activity(staged, table)
    cache["tag_matrix"] = tag_matrix(staged)
    cache[("member_tags", table.tobytes())] = member_tags(staged, weights)
    cache[("regulars", table.tobytes(), REGULARS)] = _regulars(staged, table, None, REGULARS)
    return replace(snapshot, cache=MappingProxyType(cache))


def rows_dot(matrix: sparse.csr_matrix, rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """(matrix[rows] @ vector) for a few rows, gathered straight from the CSR arrays.

    Slicing rows out of a scipy matrix builds a new matrix; this reads only the rows' entries.
    """
    starts, counts = matrix.indptr[rows], matrix.indptr[rows + 1] - matrix.indptr[rows]
    owner = np.repeat(np.arange(len(rows)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    entries = np.repeat(starts, counts) + offset
    products = matrix.data[entries] * vector[matrix.indices[entries]]
    return np.bincount(owner, weights=products, minlength=len(rows))


def community_share(
    snapshot: Snapshot,
    found: Candidates,
    dense_value: np.ndarray,
    members: np.ndarray,
    weights: EvidenceWeights,
) -> np.ndarray:
    """Each member's share of recent activity in the communities the query's dense hits fall in.

    Args:
        snapshot: the index version.
        found: what retrieval found.
        dense_value: strength × worth of each dense hit.
        members: the candidates.
        weights: how contributions are weighed.
    Returns:
        One share per candidate.
    """
    communities = snapshot.contributions.community[found.dense.rows]
    inside = communities >= 0
    mix = np.bincount(communities[inside], weights=dense_value[inside], minlength=len(snapshot.communities))
    if not mix.any():
        return np.zeros(len(members))
    return rows_dot(community_activity(snapshot, weights), members, mix / mix.sum())


def tag_affinity(
    snapshot: Snapshot,
    found: Candidates,
    dense_value: np.ndarray,
    members: np.ndarray,
    weights: EvidenceWeights,
) -> tuple[np.ndarray, np.ndarray]:
    """(log tag share, tag match) per candidate: the tags of the query's dense hits against each
    member's (see `models.tag_features`); (log floor, 0) when the hits carry no tag."""
    mix = query_tags(snapshot, found.dense.rows, dense_value)
    if not mix.any():
        return np.full(len(members), np.log(SHARE_FLOOR)), np.zeros(len(members))
    held = member_tags(snapshot, weights)
    wanted = mix * held.idf
    share = rows_dot(held.share, members, mix / mix.sum())
    match = rows_dot(held.profile, members, wanted / max(float(np.linalg.norm(wanted)), 1e-12))
    return np.log(share + SHARE_FLOOR), match


@dataclass
class CandidateEvidence:
    """The members retrieval found evidence of, with that evidence summed per member."""

    members: np.ndarray  # member rows, ascending
    dense: np.ndarray  # votes from dense hits, top member 1
    lexical: np.ndarray  # votes from keyword hits, top member 1
    best_match: np.ndarray  # highest cosine among the member's dense hits
    dense_value: np.ndarray  # strength × worth of each dense hit (for the community mix)
    regular: np.ndarray  # bool: one of the most active members, a candidate whatever the evidence


def _scaled(total: np.ndarray) -> np.ndarray:
    """Votes scaled so the top member has 1."""
    return total / max(float(total.max(initial=0.0)), 1e-12)


def regulars(
    snapshot: Snapshot, weights: EvidenceWeights, allowed: np.ndarray | None, count: int
) -> np.ndarray:
    """The `count` members with the most recent evidence (in the `allowed` communities), ascending rows.

    They are candidates for every question, matching evidence or not: in a small organization the
    few who answer most are often the best guess, and the ranker weighs them by their record.
    Cached at load for the whole organization; computed per request within a community.
    """
    table = kind_table(weights)
    if allowed is None:
        return snapshot.derived(
            ("regulars", table.tobytes(), count), lambda s: _regulars(s, table, None, count)
        )
    return _regulars(snapshot, table, allowed, count)


def _regulars(snapshot: Snapshot, table: np.ndarray, allowed: np.ndarray | None, count: int) -> np.ndarray:
    c = snapshot.contributions
    rows = _evidence_rows(snapshot)
    value = (
        table[c.kind[rows]] * decay(snapshot, rows, ACTIVITY_HALF_LIVES[1]) * ~hidden_evidence(snapshot, rows)
    )
    if allowed is not None:
        value = value * allowed[c.community[rows] + 1]
    total = np.bincount(c.author[rows], weights=value, minlength=len(snapshot.members))
    total = np.where(discoverable(snapshot), total, 0.0)
    top = np.argsort(-total, kind="stable")[:count]
    return np.sort(top[total[top] > 0])


def _hiding_authors(authors: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Authors (of the hits) whose retrieved evidence all lies in topics they hide (`hidden` per hit):
    the query is about a topic they said no to, so they do not join it as regulars either."""
    return np.setdiff1d(authors[hidden], authors[~hidden])


def candidate_evidence(
    snapshot: Snapshot,
    found: Candidates,
    weights: EvidenceWeights,
    allowed: np.ndarray | None,
    regular: int = 0,
) -> CandidateEvidence:
    """Authors of the retrieved contributions and their votes: strength × worth, from `allowed` communities
    (contributions in a community their author hides count for nobody).

    The `regular` most active members join the candidates with what evidence they have (maybe none).
    Works on the hits and those few members alone, never on arrays over every member.
    """
    c = snapshot.contributions
    values = []
    hidden = [hidden_evidence(snapshot, hits.rows) for hits in (found.dense, found.lexical)]
    for hits, masked in zip((found.dense, found.lexical), hidden, strict=True):
        value = hits.strength * worth(snapshot, hits.rows, weights) * ~masked
        if allowed is not None:
            value = value * allowed[c.community[hits.rows] + 1]
        values.append(value)
    split = len(found.dense.rows)
    authors = np.concatenate([c.author[found.dense.rows], c.author[found.lexical.rows]])
    always = regulars(snapshot, weights, allowed, regular) if regular else np.zeros(0, np.int64)
    always = np.setdiff1d(always, _hiding_authors(authors, np.concatenate(hidden)), assume_unique=True)
    members, where = np.unique(np.concatenate([authors, always]), return_inverse=True)
    where = where[: len(authors)]
    size = len(members)
    dense = np.bincount(where[:split], weights=values[0], minlength=size)
    lexical = np.bincount(where[split:], weights=values[1], minlength=size)
    best = np.zeros(size, np.float32)
    np.maximum.at(best, where[:split], np.maximum(found.dense.raw, 0.0) * (values[0] > 0))
    is_regular = np.isin(members, always)
    return CandidateEvidence(members, _scaled(dense), _scaled(lexical), best, values[0], is_regular)


def feature_matrix(
    snapshot: Snapshot,
    found: Candidates,
    query_vector: np.ndarray,
    evidence: CandidateEvidence,
    keep: np.ndarray,
    weights: EvidenceWeights,
) -> np.ndarray:
    """(kept candidates, len(FEATURES)) float32: the features of the candidates `keep` selects.

    Args:
        snapshot: the index version (or a training view of it).
        found: what retrieval found for the query.
        query_vector: the normalized query embedding.
        evidence: the candidates and their votes.
        keep: bool per candidate: those to describe.
        weights: how contributions are weighed.
    Returns:
        One row per kept candidate, columns in FEATURES order.
    """
    members = evidence.members[keep]
    tag_share, tag_match = tag_affinity(snapshot, found, evidence.dense_value, members, weights)
    query = np.stack(
        [
            np.log(evidence.dense[keep] + VOTE_FLOOR),
            np.log(evidence.lexical[keep] + VOTE_FLOOR),
            evidence.best_match[keep],
            snapshot.topic_vectors[members] @ query_vector,
            np.log(community_share(snapshot, found, evidence.dense_value, members, weights) + SHARE_FLOOR),
            np.maximum(snapshot.profile_vectors[members] @ query_vector, 0.0),
            tag_share,
            tag_match,
        ],
        axis=1,
    )
    feedback = snapshot.responsiveness
    responsive = np.zeros(len(members)) if feedback is None else feedback[members]
    return np.concatenate(
        [query, member_stats(snapshot, weights)[members], responsive[:, None]], axis=1
    ).astype(np.float32)
