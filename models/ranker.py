"""A linear expert ranker learned from an organization's own history of accepted answers.

Each candidate member of a question is a row of features (see `models.expert_features`); the
ranker's utility is their weighted sum and its score a softmax over the candidates: the
estimated probability that this member gives the accepted answer. The weights are fitted by
maximum a posteriori on questions the organization already answered (`models.ranker_training`):
the conditional logit's likelihood with an L2 pull, on standardized features, towards prior weights.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

PRIOR_STRENGTH = 3.0  # L2 pull towards the prior weights, on standardized features
DEFAULT_CALIBRATION = (0.85, 0.0, -0.35)  # sigmoid(a·logit p + b·best similarity + c): history's fit


@dataclass(frozen=True)
class TrainingList:
    """One past question: its candidates' features and the row of the member who was accepted.

    A list with `avoid` set says the opposite: the target is the one who did not answer (feedback
    "no response"); its likelihood is that anyone else is chosen, 1 - p(target).
    """

    features: np.ndarray  # (candidates, features) float32
    target: int
    asked: float = 0.0  # when the question was asked (unix seconds): later lists validate
    weight: float = 1.0
    avoid: bool = False


@dataclass(frozen=True)
class RankerModel:
    """Weights per feature name, and where they came from."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    trained_on: int = 0  # training questions; 0 = the shipped defaults
    calibration: tuple[float, float, float] = DEFAULT_CALIBRATION  # see `confidence`

    def confidence(self, probability: np.ndarray, best_similarity: np.ndarray) -> np.ndarray:
        """How likely each candidate is to give the accepted answer, from the ranker's probability
        among the candidates and the candidate's best evidence similarity (fitted on past questions)."""
        a, b, c = self.calibration
        return 1.0 / (1.0 + np.exp(-(a * logit(probability) + b * best_similarity + c)))

    def utilities(
        self, features: np.ndarray, names: Sequence[str], off: frozenset[str] = frozenset()
    ) -> np.ndarray:
        """Weighted sum of each row of `features` (columns named `names`); unknown and `off` names weigh 0."""
        known = dict(zip(self.names, self.weights, strict=True))
        w = np.array([0.0 if n in off else known.get(n, 0.0) for n in names], dtype=np.float32)
        return features @ w

    def to_json(self) -> dict[str, Any]:
        """The model as a JSON-ready dict."""
        return {
            "names": list(self.names),
            "weights": list(self.weights),
            "trained_on": self.trained_on,
            "calibration": list(self.calibration),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RankerModel":
        """Inverse of `to_json`."""
        a, b, c = (float(x) for x in data.get("calibration", DEFAULT_CALIBRATION))
        return cls(
            tuple(data["names"]),
            tuple(float(x) for x in data["weights"]),
            int(data["trained_on"]),
            (a, b, c),
        )


def blend(model: RankerModel, prior: RankerModel, share: float) -> RankerModel:
    """Weights `share` of the way from `prior` to `model` (utilities blend alike: they are linear)."""
    known = dict(zip(prior.names, prior.weights, strict=True))
    weights = [
        share * w + (1 - share) * known.get(n, 0.0) for n, w in zip(model.names, model.weights, strict=True)
    ]
    return RankerModel(model.names, tuple(round(w, 4) for w in weights), model.trained_on, model.calibration)


def reciprocal_ranks(model: RankerModel, lists: Sequence[TrainingList], names: Sequence[str]) -> np.ndarray:
    """1 / the rank `model` gives each list's target (ties counted in its favour)."""
    ranks = []
    for item in lists:
        u = model.utilities(item.features, names)
        ranks.append(1.0 / (1 + int((u > u[item.target]).sum())))
    return np.array(ranks)


def mean_reciprocal_rank(model: RankerModel, lists: Sequence[TrainingList], names: Sequence[str]) -> float:
    """How well `model` ranks the lists' targets: the mean of `reciprocal_ranks` (0 for no list)."""
    return float(reciprocal_ranks(model, lists, names).mean()) if lists else 0.0


def fit_calibration(
    model: RankerModel, lists: Sequence[TrainingList], names: Sequence[str], best_column: int, shown: int = 10
) -> RankerModel:
    """`model` with its confidence calibrated on `lists`: a logistic regression of "was accepted" on
    the probability's logit and best similarity, over each list's `shown` most probable candidates."""
    from sklearn.linear_model import LogisticRegression  # only a fit needs scikit-learn (1.5 s to import)

    x, y = [], []
    for item in lists:
        p = softmax(model.utilities(item.features, names))
        top = np.argsort(-p, kind="stable")[:shown]
        x.append(np.column_stack([logit(p[top]), item.features[top, best_column]]))
        y.append(top == item.target)
    labels = np.concatenate(y)
    if labels.all() or not labels.any():
        return model
    fitted = LogisticRegression().fit(np.concatenate(x), labels)
    a, b = (round(float(v), 4) for v in fitted.coef_[0])
    return replace(model, calibration=(a, b, round(float(fitted.intercept_[0]), 4)))


def logit(probability: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), kept finite at 0 and 1."""
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-9, 1 - 1e-9)
    return np.log(p) - np.log1p(-p)


def softmax(utilities: np.ndarray) -> np.ndarray:
    """exp(u) / sum(exp(u)), computed stably."""
    e = np.exp(utilities - utilities.max())
    probabilities: np.ndarray = e / e.sum()
    return probabilities


def _loss(
    w: np.ndarray, lists: Sequence[TrainingList], strength: float, prior: np.ndarray
) -> tuple[float, np.ndarray]:
    """Negative log-likelihood of the accepted members plus the L2 pull to `prior`, and its gradient."""
    total, grad = 0.0, np.zeros_like(w)
    for item in lists:
        u = item.features @ w
        p = softmax(u)
        pulled = item.features[item.target] - p @ item.features  # d log p(target) / dw
        if item.avoid:
            rest = max(1.0 - float(p[item.target]), 1e-300)
            total -= item.weight * float(np.log(rest))
            grad += item.weight * float(p[item.target]) / rest * pulled
        else:
            total -= item.weight * float(np.log(max(p[item.target], 1e-300)))
            grad -= item.weight * pulled
    gap = w - prior
    return total + 0.5 * strength * float(gap @ gap), grad + strength * gap


def fit_ranker(
    lists: Sequence[TrainingList],
    names: Sequence[str],
    prior: RankerModel,
    strength: float = PRIOR_STRENGTH,
) -> RankerModel:
    """Maximum a posteriori weights for the conditional logit over `lists`, pulled towards `prior`.

    Features are standardized for the fit (so the penalty treats them alike) and the weights
    mapped back to the raw scale, where the service applies them. With few lists the prior's
    weights dominate; with many, the organization's own history does.

    Args:
        lists: training questions, each with at least two candidates.
        names: the feature names, in column order.
        prior: the weights to fall back on (a feature it lacks is pulled towards 0).
        strength: the L2 pull towards the prior (a Gaussian prior's precision).
    Returns:
        The fitted model.
    """
    from scipy.optimize import minimize  # only a fit needs it

    stacked = np.concatenate([item.features for item in lists]).astype(np.float64)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0)
    constant = scale < 1e-9  # no information: weight 0
    scale = np.where(constant, 1.0, scale)
    known = dict(zip(prior.names, prior.weights, strict=True))
    centre = np.array([0.0 if c else known.get(n, 0.0) for n, c in zip(names, constant, strict=True)])
    standard = [replace(item, features=(item.features - mean) / scale) for item in lists]
    args = (standard, strength, centre * scale)
    fitted = minimize(_loss, centre * scale, args=args, jac=True, method="L-BFGS-B")
    weights = np.where(constant, 0.0, fitted.x / scale)
    return RankerModel(tuple(names), tuple(round(float(x), 4) for x in weights), len(lists))
