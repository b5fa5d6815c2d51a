"""Learn the expert ranker from the organization's own accepted answers, at index time.

The offline protocol replayed on the past: at a cut, the rankers see only the contributions
created before it (a training view of the snapshot); each later question whose accepted answer
was written by a candidate becomes a training list, with that author as the target. Cuts at
80% and 90% of the questions mirror how the service is used: built now, asked later.
"""

import logging
from dataclasses import replace

import numpy as np

from models.evidence import QUESTION, EvidenceWeights
from models.expert_features import DEFAULT_RANKER, FEATURES, topic_vectors, with_caches
from models.experts import ExpertWeights, score_candidates
from models.ranker import RankerModel, TrainingList, fit_ranker
from models.retrieval import retrieve
from models.snapshot import Snapshot

log = logging.getLogger(__name__)

CUTS = (0.8, 0.9)  # shares of the questions, in time order
QUESTIONS_PER_CUT = 400  # at most, spread evenly over the cut's period
MIN_QUESTIONS = 20  # fewer usable training questions: keep the shipped default weights
DEFAULT_WEIGHTS = ExpertWeights()


def view_as_of(snapshot: Snapshot, cutoff: float, vectors: np.ndarray, weights: EvidenceWeights) -> Snapshot:
    """The snapshot as the rankers would have seen it at `cutoff`: earlier contributions only."""
    visible = np.asarray(snapshot.contributions.created) < cutoff
    view = with_caches(replace(snapshot, visible=visible, cache={}), weights)
    return replace(view, topic_vectors=topic_vectors(view, vectors, weights))


def accepted_authors(snapshot: Snapshot) -> dict[int, int]:
    """Thread -> the member row who wrote its (first) accepted answer or validated solution."""
    c = snapshot.contributions
    rows = np.flatnonzero(np.asarray(c.accepted) & (np.asarray(c.kind) != QUESTION))
    found: dict[int, int] = {}
    for row in rows[np.argsort(np.asarray(c.created)[rows], kind="stable")].tolist():
        found.setdefault(int(c.thread[row]), int(c.author[row]))
    return found


def training_list(
    view: Snapshot, vector: np.ndarray, text: str, asker: int, target: int, weights: ExpertWeights
) -> TrainingList | None:
    """A question asked of `view`: its candidates' features, if the accepted author `target` is among them."""
    found = retrieve(view, vector, text, weights.fusion, weights.fusion.candidates)
    scored, features = score_candidates(view, found, vector, weights, exclude=[asker])
    position = np.flatnonzero(scored.members == target)
    if position.size == 0 or scored.members.size < 2:
        return None
    return TrainingList(features, int(position[0]))


def training_lists(snapshot: Snapshot, vectors: np.ndarray, weights: ExpertWeights) -> list[TrainingList]:
    """Every usable past question at every cut, as training lists.

    Args:
        snapshot: the full snapshot just built.
        vectors: its contribution embeddings (a question's row is its query vector).
        weights: the fixed ranking knobs.
    Returns:
        The training lists, in cut and time order.
    """
    c = snapshot.contributions
    created = np.asarray(c.created)
    questions = np.flatnonzero(np.asarray(c.kind) == QUESTION)
    questions = questions[np.argsort(created[questions], kind="stable")]
    targets = accepted_authors(snapshot)
    bounds = [int(len(questions) * share) for share in CUTS] + [len(questions)]
    lists = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        asked = [int(q) for q in questions[start:end] if int(c.thread[q]) in targets]
        if not asked:
            continue
        view = view_as_of(snapshot, float(created[questions[start]]), vectors, weights.evidence)
        picks = np.unique(np.linspace(0, len(asked) - 1, min(len(asked), QUESTIONS_PER_CUT)).astype(int))
        for row in (asked[i] for i in picks):
            target = targets[int(c.thread[row])]
            text = f"{c.title[row]}\n{c.snippet[row]}"  # title and the start of the body
            item = training_list(view, vectors[row], text, int(c.author[row]), target, weights)
            if item is not None:
                lists.append(item)
    return lists


def learn_ranker(
    snapshot: Snapshot, vectors: np.ndarray, weights: ExpertWeights = DEFAULT_WEIGHTS
) -> RankerModel:
    """The ranker fitted on the snapshot's history, or the default weights when it is too short.

    Features of the signals `weights.off` switches off are left out of the fit (weight 0).

    Args:
        snapshot: the full snapshot just built.
        vectors: its contribution embeddings.
        weights: the fixed ranking knobs.
    Returns:
        The model to serve with this snapshot.
    """
    lists = training_lists(snapshot, vectors, weights)
    if len(lists) < MIN_QUESTIONS:
        log.info("ranker: %d usable past questions (< %d), default weights", len(lists), MIN_QUESTIONS)
        return DEFAULT_RANKER
    off = [FEATURES.index(name) for name in weights.features_off()]
    for item in lists:
        item.features[:, off] = 0.0
    model = fit_ranker(lists, FEATURES, DEFAULT_RANKER)
    learned = dict(zip(model.names, model.weights, strict=True))
    log.info("ranker: learned from %d past questions: %s", len(lists), learned)
    return model


def with_expertise(draft: Snapshot, vectors: np.ndarray) -> Snapshot:
    """The complete snapshot: `draft` (whose topic vectors and ranker are not learned yet) with what
    it learns from its own contributions, its members' topic vectors and the expert ranker."""
    learned = replace(draft, topic_vectors=topic_vectors(draft, vectors, DEFAULT_WEIGHTS.evidence))
    return replace(learned, ranker=learn_ranker(learned, vectors))
