"""Cohort mode: assign many newcomers to mentors at once, maximizing total fit under capacity.

Each mentor becomes as many identical slots as they have free places, and the newcomers × slots
fit matrix goes to an assignment solver, so the best mentor is not simply used up by whoever
asks first. The greedy assignment is kept for comparison in tests and evaluation.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

NO_MENTOR = "no eligible mentor with free capacity has evidence in the newcomer's topics"
PLACES_TAKEN = "every mentor who fits has their free places taken by newcomers they fit better"


@dataclass
class Assignment:
    """Newcomer row `mentee` goes to mentor column `mentor` with this fit."""

    mentee: int
    mentor: int
    fit: float


@dataclass
class Unmatched:
    """A newcomer left without a mentor, and why."""

    mentee: int
    reason: str


@dataclass
class Cohort:
    """The outcome of an assignment."""

    assignments: list[Assignment]
    unmatched: list[Unmatched]

    @property
    def total_fit(self) -> float:
        """Sum of the fit of every assignment."""
        return float(sum(a.fit for a in self.assignments))


def _check(fit: np.ndarray, capacity: np.ndarray) -> None:
    """Shapes agree and nothing is negative."""
    if fit.ndim != 2 or capacity.shape != (fit.shape[1],):
        raise ValueError(
            f"fit must be newcomers × mentors and capacity one per mentor, "
            f"got {fit.shape} and {capacity.shape}"
        )
    if (fit < 0).any() or (capacity < 0).any():
        raise ValueError("fit and capacity must not be negative")


def _unmatched(fit: np.ndarray, matched: set[int]) -> list[Unmatched]:
    """Every newcomer not in `matched`, with the reason."""
    return [
        Unmatched(row, NO_MENTOR if fit[row].max(initial=0.0) <= 0 else PLACES_TAKEN)
        for row in range(fit.shape[0])
        if row not in matched
    ]


def assign_cohort(fit: np.ndarray, capacity: np.ndarray) -> Cohort:
    """The assignment of newcomers to mentors with the largest total fit.

    Args:
        fit: (newcomers, mentors) fit ≥ 0; 0 means the mentor may not take that newcomer.
        capacity: (mentors,) free places of each mentor.
    Returns:
        Assignments (each newcomer at most once, each mentor at most capacity times, fit > 0)
        and the newcomers left unmatched with a reason.
    """
    fit, capacity = np.asarray(fit, dtype=np.float64), np.asarray(capacity, dtype=np.int64)
    _check(fit, capacity)
    slots = np.repeat(np.arange(fit.shape[1]), np.minimum(capacity, fit.shape[0]))
    if slots.size == 0 or fit.shape[0] == 0:
        return Cohort([], _unmatched(fit, set()))
    rows, columns = linear_sum_assignment(fit[:, slots], maximize=True)
    assignments = [
        Assignment(int(r), int(slots[c]), float(fit[r, slots[c]]))
        for r, c in zip(rows, columns, strict=True)
        if fit[r, slots[c]] > 0
    ]
    return Cohort(assignments, _unmatched(fit, {a.mentee for a in assignments}))


def greedy_assignment(fit: np.ndarray, capacity: np.ndarray) -> Cohort:
    """First come, first served: each newcomer in row order takes their best mentor with a place.

    Args and Returns as `assign_cohort`.
    """
    fit, left = np.asarray(fit, dtype=np.float64), np.asarray(capacity, dtype=np.int64).copy()
    _check(fit, left)
    assignments = []
    for row in range(fit.shape[0]):
        open_fit = np.where(left > 0, fit[row], 0.0)
        best = int(np.argmax(open_fit)) if open_fit.size else 0
        if open_fit.size and open_fit[best] > 0:
            left[best] -= 1
            assignments.append(Assignment(row, best, float(fit[row, best])))
    return Cohort(assignments, _unmatched(fit, {a.mentee for a in assignments}))
