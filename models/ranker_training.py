"""Learn the expert ranker from the organization's own accepted answers, at index time.

The offline protocol replayed on the past: at a cut, the rankers see only the contributions
created before it (a training view of the snapshot); each later question whose accepted answer
was written by a candidate becomes a training list, with that author as the target. Cuts at
80% and 90% of the questions mirror how the service is used: built now, asked later; a small
organization gets earlier cuts too, so that it has enough training questions.

Which weights to serve is chosen on the organization's past: the ranker is served blended with
the shipped defaults, trusted the more the more training questions it has (n / (n + 100)); a
ranker fitted on the questions before the last cut is replayed on those after it (the validation
window) at that blend, the defaults, the learned weights and blends between, and a blend clearly
better there (by three standard errors) is served instead. The bar is high because the shipped
defaults were themselves fitted on the dba and history bundles' past: there the validation window
flatters them (history: +0.010 MRR, 2.8 standard errors, while the test period prefers the
blend). Either way the blend applies to the ranker fitted on every training question.

Feedback on earlier suggestions adds training cases beside the replayed history, on the full
snapshot: "helpful" is a list whose target is the member suggested (weight HELPFUL_WEIGHT, as
much as a replayed question), "no response" a list saying anyone but that member
(weight NO_RESPONSE_WEIGHT: silence has many reasons). Their members' responsiveness feature is
computed leaving the case's own outcome out, so a case never predicts itself; the history's
views see no feedback (it did not exist then). The learned responsiveness weight is kept within
0..RESPONSIVE_MAX: feedback moves a member by at most e^1.5 (4.5×) either way, however many
cases agree (unbounded, 150 simulated cases on the small demo learned 5.6 and let the helpful
members crowd every topic's first places).
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from models.evidence import QUESTION, EvidenceWeights
from models.expert_features import DEFAULT_RANKER, FEATURES, responsiveness, topic_vectors, with_caches
from models.experts import ExpertWeights, score_candidates
from models.ranker import (
    RankerModel,
    TrainingList,
    blend,
    fit_calibration,
    fit_ranker,
    reciprocal_ranks,
)
from models.retrieval import retrieve
from models.snapshot import Snapshot

log = logging.getLogger(__name__)

CUTS = (0.8, 0.9)  # shares of the questions, in time order
EARLIEST_CUT = 0.3  # a small organization adds cuts back to here, a tenth at a time
TRAINING_QUESTIONS = 500  # ... until its cuts span this many questions
QUESTIONS_PER_CUT = 400  # at most, spread evenly over the cut's period
MIN_QUESTIONS = 20  # fewer usable training questions: keep the shipped default weights
MIN_VALIDATION = 30  # questions the validation window holds at least (while some are left to fit on)
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)  # blends of default (0) and learned (1) weights on trial
PRIOR_CASES = 100  # training questions at which the learned weights are trusted half way
CLEARLY = 3.0  # standard errors by which a blend must beat the trusted one on the validation window
DEFAULT_WEIGHTS = ExpertWeights()
HELPFUL_WEIGHT = 1.0
NO_RESPONSE_WEIGHT = 0.5
RESPONSIVE_MAX = 1.5


@dataclass(frozen=True)
class FeedbackCase:
    """The outcome of one suggestion: the question asked, the member suggested, whether they helped."""

    vector: np.ndarray  # the question's embedding
    text: str
    member: int  # member row
    helpful: bool  # False: no response


def view_as_of(snapshot: Snapshot, cutoff: float, vectors: np.ndarray, weights: EvidenceWeights) -> Snapshot:
    """The snapshot as the rankers would have seen it at `cutoff`: earlier contributions only."""
    visible = np.asarray(snapshot.contributions.created) < cutoff
    view = with_caches(replace(snapshot, visible=visible, cache={}, responsiveness=None), weights)
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


def cut_shares(questions: int) -> list[float]:
    """Where the training cuts fall: CUTS, and earlier tenths while they span too few questions."""
    shares = list(CUTS)
    while shares[0] - 0.1 >= EARLIEST_CUT - 1e-9 and questions * (1 - shares[0]) < TRAINING_QUESTIONS:
        shares.insert(0, round(shares[0] - 0.1, 1))
    return shares


def training_lists(snapshot: Snapshot, vectors: np.ndarray, weights: ExpertWeights) -> list[TrainingList]:
    """Every usable past question at every cut, as training lists.

    Args:
        snapshot: the full snapshot just built.
        vectors: its contribution embeddings (a question's row is its query vector).
        weights: the fixed ranking knobs.
    Returns:
        The training lists, in cut and time order. A question is asked with its whole text, as
        the keyword index holds it (its title and body), like the questions asked of the service.
    """
    c = snapshot.contributions
    created = np.asarray(c.created)
    questions = np.flatnonzero(np.asarray(c.kind) == QUESTION)
    questions = questions[np.argsort(created[questions], kind="stable")]
    targets = accepted_authors(snapshot)
    bounds = [int(len(questions) * share) for share in cut_shares(len(questions))] + [len(questions)]
    lists = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        asked = [int(q) for q in questions[start:end] if int(c.thread[q]) in targets]
        if not asked:
            continue
        view = view_as_of(snapshot, float(created[questions[start]]), vectors, weights.evidence)
        picks = np.unique(np.linspace(0, len(asked) - 1, min(len(asked), QUESTIONS_PER_CUT)).astype(int))
        rows = [asked[i] for i in picks]
        for row, text in zip(rows, snapshot.lexical.document_texts(rows), strict=True):
            target = targets[int(c.thread[row])]
            item = training_list(view, vectors[row], text, int(c.author[row]), target, weights)
            if item is not None:
                lists.append(replace(item, asked=float(created[row])))
    return lists


def validation_split(
    snapshot: Snapshot, lists: list[TrainingList]
) -> tuple[list[TrainingList], list[TrainingList]]:
    """(fitting, validation): the lists asked before the last cut, and those after it, the
    validation window reaching back to MIN_VALIDATION lists when the last cut holds fewer."""
    c = snapshot.contributions
    asked = np.sort(np.asarray(c.created)[np.asarray(c.kind) == QUESTION])
    opens = float(asked[min(int(len(asked) * CUTS[-1]), len(asked) - 1)]) if asked.size else 0.0
    ordered = sorted(lists, key=lambda item: item.asked)
    first = min(sum(item.asked < opens for item in ordered), max(len(ordered) - MIN_VALIDATION, 0))
    return ordered[:first], ordered[first:]


def trusted_share(cases: int) -> float:
    """How far towards its own fit an organization's ranker goes on `cases` training questions alone:
    the pull towards the shipped defaults grows as the cases shrink."""
    return cases / (cases + PRIOR_CASES)


def chosen_share(fitting: list[TrainingList], validation: list[TrainingList], trusted: float) -> float:
    """The blend of learned and default weights to serve, by replaying the validation window.

    A model fitted on `fitting` is blended with the defaults at each of SHARES and at `trusted`; the
    best on the validation window's MRR replaces `trusted` only when it is ahead by more than
    CLEARLY standard errors of the paired difference (the window is small: most differences are noise).
    Too few questions to fit on: the defaults.
    """
    if len(fitting) < MIN_QUESTIONS or not validation:
        return 0.0
    model = fit_ranker(fitting, FEATURES, DEFAULT_RANKER)
    shares = sorted({*SHARES, round(trusted, 2)})
    ranks = {
        share: reciprocal_ranks(blend(model, DEFAULT_RANKER, share), validation, FEATURES) for share in shares
    }
    best = max(shares, key=lambda share: (ranks[share].mean(), -abs(share - trusted)))
    gain = ranks[best] - ranks[round(trusted, 2)]
    noise = gain.std(ddof=1) / np.sqrt(len(gain)) if len(gain) > 1 else np.inf
    chosen = best if gain.mean() > CLEARLY * noise else trusted
    mrr = {share: round(float(r.mean()), 4) for share, r in ranks.items()}
    log.info("ranker validation on %d questions, MRR by learned share %s: %.2f", len(validation), mrr, chosen)
    return chosen


def outcome_counts(snapshot: Snapshot, cases: Sequence[FeedbackCase]) -> tuple[np.ndarray, np.ndarray]:
    """Per member row: how many suggestions they helped with, and how many they left unanswered."""
    size = len(snapshot.members)
    helpful = np.bincount([c.member for c in cases if c.helpful], minlength=size)
    silent = np.bincount([c.member for c in cases if not c.helpful], minlength=size)
    return helpful, silent


def feedback_lists(
    snapshot: Snapshot, cases: Sequence[FeedbackCase], weights: ExpertWeights
) -> list[TrainingList]:
    """The feedback cases as training lists on the full snapshot (see the module docstring)."""
    helpful, silent = outcome_counts(snapshot, cases)
    everyone = responsiveness(helpful, silent)
    lists = []
    for case in cases:
        own = np.array([int(case.helpful), int(not case.helpful)])
        left_out = responsiveness(helpful[[case.member]] - own[0], silent[[case.member]] - own[1])
        values = everyone.copy()
        values[case.member] = left_out[0]
        view = replace(snapshot, responsiveness=values)
        item = training_list(view, case.vector, case.text, -1, case.member, weights)
        if item is not None:
            weight = HELPFUL_WEIGHT if case.helpful else NO_RESPONSE_WEIGHT
            lists.append(replace(item, weight=weight, avoid=not case.helpful))
    return lists


def learn_ranker(
    snapshot: Snapshot,
    vectors: np.ndarray,
    weights: ExpertWeights = DEFAULT_WEIGHTS,
    feedback: Sequence[FeedbackCase] = (),
) -> RankerModel:
    """The ranker fitted on the snapshot's history and feedback, or the default weights when they are too few.

    Features of the signals `weights.off` switches off are left out of the fit (weight 0).

    Args:
        snapshot: the full snapshot just built.
        vectors: its contribution embeddings.
        weights: the fixed ranking knobs.
        feedback: outcomes of earlier suggestions, as training cases.
    Returns:
        The model to serve with this snapshot.
    """
    lists = training_lists(snapshot, vectors, weights) + feedback_lists(snapshot, feedback, weights)
    if len(lists) < MIN_QUESTIONS:
        log.info("ranker: %d usable past questions (< %d), default weights", len(lists), MIN_QUESTIONS)
        return DEFAULT_RANKER
    off = [FEATURES.index(name) for name in weights.features_off()]
    for item in lists:
        item.features[:, off] = 0.0
    share = chosen_share(*validation_split(snapshot, lists), trusted_share(len(lists)))
    model = _bounded(blend(fit_ranker(lists, FEATURES, DEFAULT_RANKER), DEFAULT_RANKER, share))
    model = fit_calibration(model, lists, FEATURES, FEATURES.index("best_match"))
    learned = dict(zip(model.names, model.weights, strict=True))
    log.info("ranker: learned from %d past questions, served at share %.2f: %s", len(lists), share, learned)
    return model


def _bounded(model: RankerModel) -> RankerModel:
    """The model with its responsiveness weight kept within 0..RESPONSIVE_MAX."""
    weights = [
        min(max(w, 0.0), RESPONSIVE_MAX) if name == "responsive" else w
        for name, w in zip(model.names, model.weights, strict=True)
    ]
    return replace(model, weights=tuple(weights))


def with_expertise(
    draft: Snapshot,
    vectors: np.ndarray,
    feedback: Sequence[FeedbackCase] = (),
    ranker: RankerModel | None = None,
) -> Snapshot:
    """The complete snapshot: `draft` (whose topic vectors and ranker are not learned yet) with what
    it learns from its own contributions and the feedback on its suggestions: its members' topic
    vectors and responsiveness, and the expert ranker (`ranker` instead, when given: a kept fit)."""
    learned = replace(draft, topic_vectors=topic_vectors(draft, vectors, DEFAULT_WEIGHTS.evidence))
    if feedback:
        learned = replace(learned, responsiveness=responsiveness(*outcome_counts(learned, feedback)))
    return replace(learned, ranker=ranker or learn_ranker(learned, vectors, feedback=feedback))
