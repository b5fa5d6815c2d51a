"""Fitting the conditional-logit ranker on hand-made training lists."""

import numpy as np
import pytest

from models.ranker import (
    RankerModel,
    TrainingList,
    blend,
    fit_calibration,
    fit_ranker,
    mean_reciprocal_rank,
    softmax,
)

NAMES = ("signal", "noise", "constant")
FLAT = RankerModel(NAMES, (0.0, 0.0, 0.0))


def _lists(n: int, seed: int = 0) -> list[TrainingList]:
    """Lists of 5 candidates; the target has the largest 'signal' 80% of the time."""
    rng = np.random.default_rng(seed)
    lists = []
    for _ in range(n):
        features = np.column_stack([rng.normal(size=5), rng.normal(size=5), np.ones(5)])
        best = int(np.argmax(features[:, 0]))
        target = best if rng.random() < 0.8 else int(rng.integers(5))
        lists.append(TrainingList(features.astype(np.float32), target))
    return lists


def test_fit_finds_the_informative_feature() -> None:
    model = fit_ranker(_lists(400), NAMES, FLAT)
    signal, noise, constant = model.weights
    assert signal > 1.0 and abs(noise) < 0.3 * signal
    assert constant == 0.0  # a feature that never varies carries nothing
    assert model.trained_on == 400
    held_out = _lists(200, seed=1)
    hits = [int(np.argmax(model.utilities(item.features, NAMES))) == item.target for item in held_out]
    assert np.mean(hits) > 0.6  # the target is first far more often than by chance (0.2)


def test_few_lists_stay_near_the_prior_many_follow_the_data() -> None:
    prior = RankerModel(NAMES, (-1.0, 2.0, 0.0))
    few = fit_ranker(_lists(3), NAMES, prior)
    many = fit_ranker(_lists(400), NAMES, prior)
    assert few.weights[1] > 0.5 and few.weights[0] < many.weights[0]
    assert many.weights[0] > 1.0 and abs(many.weights[1]) < 0.5


def test_utilities_match_weights_by_name_and_leave_out_switched_off_ones() -> None:
    model = RankerModel(("a", "b"), (2.0, 1.0))
    features = np.array([[1.0, 1.0, 5.0], [0.0, 3.0, 5.0]], np.float32)
    assert model.utilities(features, ("b", "a", "unknown")).tolist() == [3.0, 6.0]
    assert model.utilities(features, ("b", "a", "unknown"), frozenset({"a"})).tolist() == [1.0, 0.0]


def test_json_round_trip_and_softmax() -> None:
    model = RankerModel(NAMES, (0.5, -0.25, 0.0), trained_on=12)
    assert RankerModel.from_json(model.to_json()) == model
    p = softmax(np.array([1000.0, 1000.0, 0.0]))
    assert p.sum() == pytest.approx(1.0) and p[0] == pytest.approx(0.5)


def test_blend_moves_from_the_prior_to_the_model_and_mrr_ranks_targets() -> None:
    prior = RankerModel(("a", "b"), (0.0, 2.0))
    model = RankerModel(("a", "b"), (1.0, 0.0), trained_on=7)
    assert blend(model, prior, 0.0).weights == (0.0, 2.0)
    assert blend(model, prior, 0.25).weights == (0.25, 1.5) and blend(model, prior, 1.0) == model
    lists = [TrainingList(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32), target=0)]
    assert mean_reciprocal_rank(model, lists, ("a", "b")) == 1.0
    assert mean_reciprocal_rank(prior, lists, ("a", "b")) == 0.5
    tied = [TrainingList(np.zeros((3, 2), np.float32), target=2)]
    assert mean_reciprocal_rank(model, tied, ("a", "b")) == 1.0  # ties count in the target's favour


def test_confidence_is_calibrated_on_past_lists_and_grows_with_probability_and_similarity() -> None:
    model = fit_ranker(_lists(300), NAMES, FLAT)
    calibrated = fit_calibration(model, _lists(300, seed=2), NAMES, best_column=0)
    assert calibrated.calibration != model.calibration and calibrated.weights == model.weights
    a, b, _ = calibrated.calibration
    assert a > 0  # a likelier candidate is more often the one accepted
    sure, unsure = calibrated.confidence(np.array([0.9, 0.1]), np.array([0.8, 0.8]))
    assert 0 < unsure < sure < 1
    held_out = _lists(300, seed=3)
    predicted = [
        calibrated.confidence(softmax(calibrated.utilities(item.features, NAMES)), item.features[:, 0])
        for item in held_out
    ]
    assert np.mean(predicted) == pytest.approx(1 / 5, abs=0.03)  # one accepted of five: on average
    top = [float(p.max()) for p in predicted]
    hits = [int(np.argmax(p)) == item.target for p, item in zip(predicted, held_out, strict=True)]
    assert np.mean([t for t, h in zip(top, hits, strict=True) if h]) > np.mean(
        [t for t, h in zip(top, hits, strict=True) if not h]
    )  # surer when right
    assert RankerModel.from_json(calibrated.to_json()) == calibrated
