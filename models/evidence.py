"""What a contribution is worth as evidence of expertise: kind, acceptance, votes and age.

Age is measured on the organization's own clock: a contribution's age is the share of the
(visible) contributions made after it, so a half-life means "after the organization wrote another
that share of its contributions", whatever its pace. A snapshot whose `visible` mask is set (a
training view as of a past time) counts only its visible rows.
"""

from dataclasses import dataclass, field

import numpy as np

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
class EvidenceWeights:
    """How contributions are weighed as evidence; kind weights and recency can be switched off."""

    kind_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    use_kind_weights: bool = True
    accepted_bonus: float = 1.0  # an accepted answer or validated solution counts (1 + bonus)×
    score_weight: float = 0.15  # × (1 + w · log1p(votes))
    half_life: float = 0.5  # share of the organization's contributions
    use_recency: bool = True


def visible_rows(snapshot: Snapshot) -> np.ndarray:
    """Bool mask of the contributions the rankers may see (all but in a training view)."""
    if snapshot.visible is not None:
        return snapshot.visible
    return snapshot.derived("all_visible", _all_visible)


def _all_visible(snapshot: Snapshot) -> np.ndarray:
    return np.ones(len(snapshot.contributions), dtype=bool)


def age_share(snapshot: Snapshot) -> np.ndarray:
    """Per contribution: the share of visible contributions created strictly after it (0 = newest).

    Rows outside the view get 1 (oldest); they never count anyway.
    """
    return snapshot.derived("age_share", _age_share)


def _age_share(snapshot: Snapshot) -> np.ndarray:
    created = np.asarray(snapshot.contributions.created)
    visible = visible_rows(snapshot)
    known = np.sort(created[visible])
    newer = len(known) - np.searchsorted(known, created, side="right")
    return np.where(visible, newer / max(len(known), 1), 1.0)


def decay(snapshot: Snapshot, rows: np.ndarray | slice, half_life: float) -> np.ndarray:
    """0.5 ** (age share / half-life) for the given rows."""
    return np.power(0.5, age_share(snapshot)[rows] / half_life)


def kind_table(weights: EvidenceWeights) -> np.ndarray:
    """Weight per kind code: the kind weights, or 1 for everything but questions when switched off."""
    if weights.use_kind_weights:
        return np.array([weights.kind_weights.get(k, 0.5) for k in KINDS], dtype=np.float32)
    return np.array([0.0 if k == "question" else 1.0 for k in KINDS], dtype=np.float32)


def worth(snapshot: Snapshot, rows: np.ndarray | slice, weights: EvidenceWeights) -> np.ndarray:
    """What each contribution is worth as evidence: kind, acceptance, votes and age."""
    c = snapshot.contributions
    factor: np.ndarray = kind_table(weights)[c.kind[rows]] * (1 + weights.accepted_bonus * c.accepted[rows])
    factor = factor * (1 + weights.score_weight * np.log1p(np.maximum(c.score[rows], 0)))
    if weights.use_recency:
        factor = factor * decay(snapshot, rows, weights.half_life)
    return factor


def allowed_communities(snapshot: Snapshot, community: int | None) -> np.ndarray | None:
    """Mask over community rows shifted by one (index 0 = no community): the community and its children."""
    if community is None:
        return None
    parents = np.asarray(snapshot.communities.parent)
    allowed = (np.arange(len(parents)) == community) | (parents == community)
    return np.concatenate([[False], allowed]).astype(np.float32)


def discoverable(snapshot: Snapshot) -> np.ndarray:
    """Bool per member: may be recommended (as an array, cached with the member rows)."""
    return snapshot.members.discoverable_mask


def hidden_evidence(snapshot: Snapshot, rows: np.ndarray) -> np.ndarray:
    """Bool per contribution row: its author hides its community (a hidden topic), so it is no evidence
    of their expertise and never shown next to their name."""
    if snapshot.hidden_topics is None or not len(snapshot.hidden_topics):
        return np.zeros(len(rows), dtype=bool)
    c = snapshot.contributions
    keys = snapshot.topic_keys(c.author[rows], c.community[rows])
    return np.isin(keys, snapshot.hidden_topics)


def hiding_members(snapshot: Snapshot, community: int) -> np.ndarray:
    """Rows of the members who hide this community."""
    if snapshot.hidden_topics is None:
        return np.zeros(0, dtype=np.int64)
    members, places = np.divmod(snapshot.hidden_topics, len(snapshot.communities) + 1)
    hidden: np.ndarray = members[places == community + 1]
    return hidden


DERIVED = (("all_visible", _all_visible), ("age_share", _age_share))
