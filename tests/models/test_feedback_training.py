"""Feedback on suggested experts as training cases: helpful pulls a member up, silence down."""

import numpy as np
import pytest

from models.expert_features import FEATURES
from models.experts import ExpertWeights, rank_experts
from models.ranker import TrainingList, _loss
from models.ranker_training import RESPONSIVE_MAX, FeedbackCase, feedback_lists, with_expertise
from tests.models.test_ranker_training import TOPICS, _history
from tests.models.tiny_snapshot import tiny_snapshot

MEMBERS = ["ana", "bo", "cy", "asker"]
ANA, BO = 0, 1


def _ranked(feedback: list[FeedbackCase]) -> list[str]:
    """Members for a topic-a question, best first, after learning with `feedback`."""
    rows, vectors = _history(60)
    snapshot = tiny_snapshot(rows, MEMBERS)
    snapshot = with_expertise(snapshot, vectors, feedback)
    hits = rank_experts(snapshot, TOPICS["a"], "a issue", 3, exclude=[3], weights=ExpertWeights())
    return [MEMBERS[h.member] for h in hits]


def _cases(member: int, helpful: bool, count: int = 6) -> list[FeedbackCase]:
    return [FeedbackCase(TOPICS["a"], "a issue", member, helpful) for _ in range(count)]


def test_without_feedback_the_accepted_expert_leads() -> None:
    assert _ranked([])[0] == "ana"


def test_silence_and_help_move_the_ranking_the_right_way() -> None:
    assert _ranked(_cases(ANA, helpful=False) + _cases(BO, helpful=True))[0] == "bo"


def test_a_case_never_predicts_itself() -> None:
    """One outcome alone leaves the member's responsiveness at 0 in its own training list."""
    rows, vectors = _history(60)
    snapshot = tiny_snapshot(rows, MEMBERS)
    [item] = feedback_lists(snapshot, _cases(ANA, helpful=False, count=1), ExpertWeights())
    assert item.avoid and item.weight < 1.0
    assert item.features[item.target, FEATURES.index("responsive")] == 0.0


def test_avoid_lists_have_the_gradient_of_their_loss() -> None:
    rng = np.random.default_rng(0)
    lists = [
        TrainingList(rng.normal(size=(4, 3)), 1, weight=0.5, avoid=True),
        TrainingList(rng.normal(size=(3, 3)), 0),
    ]
    w, prior = rng.normal(size=3), np.zeros(3)
    loss, grad = _loss(w, lists, 1.0, prior)
    step = 1e-6
    numeric = [(_loss(w + step * np.eye(3)[i], lists, 1.0, prior)[0] - loss) / step for i in range(3)]
    assert grad == pytest.approx(numeric, abs=1e-4)


def test_the_learned_responsiveness_weight_is_bounded() -> None:
    rows, vectors = _history(60)
    snapshot = tiny_snapshot(rows, MEMBERS)
    snapshot = with_expertise(
        snapshot, vectors, _cases(ANA, helpful=False, count=30) + _cases(BO, helpful=True, count=30)
    )
    weight = dict(zip(snapshot.ranker.names, snapshot.ranker.weights, strict=True))["responsive"]
    assert snapshot.ranker.trained_on > 0 and 0.0 < weight <= RESPONSIVE_MAX
