"""The features the expert ranker scores a candidate member by, for one question.

Query features come from the retrieved evidence: dense and keyword votes, the member's closest
match, their topic centroid's similarity, their share of the query's communities, their
profile. Member features come from their whole record: activity at three half-lives, when they
were last active, how much they contributed, how much of it was accepted, how much they asked. Each is on a
natural scale (logs of counts and votes, cosines, shares) so that weights carry over between
organizations.
"""

import numpy as np
from scipy import sparse

from models.evidence import (
    QUESTION,
    EvidenceWeights,
    age_share,
    decay,
    kind_table,
    visible_rows,
    worth,
)
from models.ranker import RankerModel
from models.retrieval import Candidates
from models.snapshot import Snapshot

QUERY_FEATURES = ("dense", "lexical", "best_match", "topic", "community", "profile")
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
FEATURES = QUERY_FEATURES + MEMBER_FEATURES
SIGNALS = {  # feature groups switched off together (ablations; mentors ignore busyness)
    "lexical": frozenset({"lexical"}),
    "topic": frozenset({"best_match", "topic"}),
    "community": frozenset({"community"}),
    "profile": frozenset({"profile"}),
    "activity": frozenset({"activity_recent", "activity", "activity_long", "last_active"}),
    "track-record": frozenset({"contributions", "accepted", "acceptance", "questions"}),
}
ACTIVITY_HALF_LIVES = (0.02, 0.1, 0.5)  # shares of the organization's contributions
ACTIVITY_SCALE = 20.0  # log1p(20 · decayed count) spreads the small counts apart
COMMUNITY_HALF_LIFE = 0.1
VOTE_FLOOR = 0.01  # log(votes + floor): no votes is a finite, low value
SHARE_FLOOR = 0.001
DEFAULT_RANKER = RankerModel(  # an organization with too little history gets these weights:
    FEATURES,  # the mean of those learned on the dba and history bundles; profile set, not learned
    (0.10, 0.07, 0.78, 5.46, 0.49, 0.5, 0.37, 0.14, 0.31, 2.21, 0.04, -0.69, 3.88, 0.22),
)


def _evidence_rows(snapshot: Snapshot) -> np.ndarray:
    """Rows that show expertise: visible contributions other than questions."""
    kinds = np.asarray(snapshot.contributions.kind)
    return np.flatnonzero(visible_rows(snapshot) & (kinds != QUESTION))


def member_stats(snapshot: Snapshot, weights: EvidenceWeights) -> np.ndarray:
    """(members, len(MEMBER_FEATURES)) float32: each member's record, cached per snapshot."""
    table = kind_table(weights)
    key = ("member_stats", table.tobytes())
    if key not in snapshot.cache:
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
        snapshot.cache[key] = np.stack(columns, axis=1).astype(np.float32)
    return snapshot.cache[key]


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
    """Communities × members: each member's share of a community's recent evidence (cached)."""
    key = ("community_activity", kind_table(weights).tobytes())
    if key not in snapshot.cache:
        c = snapshot.contributions
        rows = _evidence_rows(snapshot)
        rows = rows[np.asarray(c.community)[rows] >= 0]
        value = kind_table(weights)[c.kind[rows]] * decay(snapshot, rows, COMMUNITY_HALF_LIFE)
        shape = (len(snapshot.communities), len(snapshot.members))
        matrix = sparse.csr_matrix((value, (c.community[rows], c.author[rows])), shape)
        totals = np.asarray(matrix.sum(axis=1)).ravel()
        snapshot.cache[key] = sparse.csr_matrix(sparse.diags(1 / np.maximum(totals, 1e-12)) @ matrix)
    return snapshot.cache[key]


def community_share(
    snapshot: Snapshot, found: Candidates, weights: EvidenceWeights, members: np.ndarray
) -> np.ndarray:
    """Each member's share of recent activity in the communities the query's dense hits fall in."""
    hits = found.dense
    communities = snapshot.contributions.community[hits.rows]
    inside = communities >= 0
    value = (hits.strength * worth(snapshot, hits.rows, weights))[inside]
    mix = np.bincount(communities[inside], weights=value, minlength=len(snapshot.communities))
    if not mix.any():
        return np.zeros(len(members))
    share = community_activity(snapshot, weights)[:, members]
    return np.asarray(share.T @ (mix / mix.sum())).ravel()


def best_match(snapshot: Snapshot, found: Candidates, allowed: np.ndarray | None) -> np.ndarray:
    """(members,) the highest cosine among each member's dense hits (from `allowed` communities)."""
    hits = found.dense
    best = np.zeros(len(snapshot.members), np.float32)
    cosine = np.maximum(hits.raw, 0.0)
    if allowed is not None:
        cosine = cosine * allowed[snapshot.contributions.community[hits.rows] + 1]
    np.maximum.at(best, snapshot.contributions.author[hits.rows], cosine)
    return best


def feature_matrix(
    snapshot: Snapshot,
    found: Candidates,
    query_vector: np.ndarray,
    members: np.ndarray,
    votes: tuple[np.ndarray, np.ndarray],
    weights: EvidenceWeights,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """(len(members), len(FEATURES)) float32: the candidates' features for one query.

    Args:
        snapshot: the index version (or a training view of it).
        found: what retrieval found for the query.
        query_vector: the normalized query embedding.
        members: the candidate member rows.
        votes: per-member dense and lexical votes (top member 1).
        weights: how contributions are weighed.
        allowed: community mask of the evidence that counts (None: all).
    Returns:
        One row per candidate, columns in FEATURES order.
    """
    dense, lexical = votes
    query = np.stack(
        [
            np.log(dense[members] + VOTE_FLOOR),
            np.log(lexical[members] + VOTE_FLOOR),
            best_match(snapshot, found, allowed)[members],
            np.asarray(snapshot.topic_vectors[members]) @ query_vector,
            np.log(community_share(snapshot, found, weights, members) + SHARE_FLOOR),
            np.maximum(snapshot.profile_vectors[members] @ query_vector, 0.0),
        ],
        axis=1,
    )
    return np.concatenate([query, member_stats(snapshot, weights)[members]], axis=1).astype(np.float32)
