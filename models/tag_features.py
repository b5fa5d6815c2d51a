"""A question's tags against the tags a member has answered: two ranker features.

A question asked of the service comes without tags (the protocol ranks by title and body alone),
so its tags are those of the contributions retrieval found for it, each weighed by how strongly
it matched. `tag_share` is the member's share of the recent evidence in those tags (all of a
contribution's tags, not only the one that made its community); `tag_match` the cosine of the
member's tag profile (their evidence's tags, idf-weighted) with the question's: the specialist's
signal, where the share favours whoever answers most.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from models.evidence import QUESTION, EvidenceWeights, decay, kind_table, visible_rows
from models.snapshot import Snapshot

TAG_HALF_LIFE = 0.1  # as the community share: recent evidence counts most


def tag_text(tags: Sequence[str]) -> str:
    """A contribution's tags as the snapshot keeps them: space-separated, spaces inside a tag as '-'."""
    return " ".join("-".join(tag.split()) for tag in tags if tag.strip())


def tag_matrix(snapshot: Snapshot) -> sparse.csr_matrix:
    """Contributions × tags, 1 where the contribution carries the tag (cached at load)."""
    return snapshot.derived("tag_matrix", _tag_matrix)


def _tag_matrix(snapshot: Snapshot) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import CountVectorizer  # not on an index run's path

    texts = list(snapshot.contributions.tags)
    vectorizer = CountVectorizer(tokenizer=str.split, lowercase=False, token_pattern=None, binary=True)
    if not any(texts):
        return sparse.csr_matrix((len(texts), 0), dtype=np.float64)
    return sparse.csr_matrix(vectorizer.fit_transform(texts), dtype=np.float64)


@dataclass(frozen=True)
class MemberTags:
    """What members answered, by tag (members × tags), and how telling each tag is."""

    share: sparse.csr_matrix  # each member's share of a tag's recent evidence
    profile: sparse.csr_matrix  # each member's idf-weighted tag profile, unit rows
    idf: np.ndarray  # log(1 + evidence / (1 + evidence carrying the tag)): rare tags say more


def member_tags(snapshot: Snapshot, weights: EvidenceWeights) -> MemberTags:
    """The members' tags over the visible evidence (cached at load)."""
    table = kind_table(weights)
    return snapshot.derived(("member_tags", table.tobytes()), lambda s: _member_tags(s, table))


def _member_tags(snapshot: Snapshot, table: np.ndarray) -> MemberTags:
    c = snapshot.contributions
    rows = np.flatnonzero(visible_rows(snapshot) & (np.asarray(c.kind) != QUESTION))
    tags = tag_matrix(snapshot)[rows]
    value = table[c.kind[rows]] * decay(snapshot, rows, TAG_HALF_LIFE)
    shape = (len(snapshot.members), len(rows))
    held = sparse.csr_matrix(sparse.csr_matrix((value, (c.author[rows], np.arange(len(rows)))), shape) @ tags)
    totals = np.asarray(held.sum(axis=0)).ravel()
    idf = np.log1p(len(rows) / (1.0 + np.asarray(tags.sum(axis=0)).ravel()))
    profile = held @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(profile.multiply(profile).sum(axis=1)).ravel())
    return MemberTags(
        share=sparse.csr_matrix(held @ sparse.diags(1 / np.maximum(totals, 1e-12))),
        profile=sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ profile),
        idf=idf,
    )


def query_tags(snapshot: Snapshot, hits: np.ndarray, hit_value: np.ndarray) -> np.ndarray:
    """The question's tags: per tag, the summed value of the retrieved contributions carrying it."""
    return np.asarray(tag_matrix(snapshot)[hits].T @ hit_value).ravel()
