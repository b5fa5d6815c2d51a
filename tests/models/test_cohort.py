"""Cohort assignment on hand-made fit matrices: optimal, within capacity, better than greedy."""

import itertools
from collections import Counter

import numpy as np
import pytest

from models.cohort import NO_MENTOR, PLACES_TAKEN, Cohort, assign_cohort, greedy_assignment


def _within_capacity(cohort: Cohort, capacity: np.ndarray) -> bool:
    per_mentor = Counter(a.mentor for a in cohort.assignments)
    mentees = [a.mentee for a in cohort.assignments]
    once = len(mentees) == len(set(mentees))
    return once and all(per_mentor[m] <= capacity[m] for m in per_mentor)


def _brute_force_best(fit: np.ndarray, capacity: np.ndarray) -> float:
    """Best total over every choice of one mentor (or none) per newcomer."""
    options = range(-1, fit.shape[1])
    best = 0.0
    for choice in itertools.product(options, repeat=fit.shape[0]):
        used = Counter(m for m in choice if m >= 0)
        if all(used[m] <= capacity[m] for m in used):
            best = max(best, sum(fit[r, m] for r, m in enumerate(choice) if m >= 0))
    return best


def test_solver_beats_first_come_first_served_on_a_contested_mentor() -> None:
    # Both newcomers like mentor 0 best; newcomer 0 is nearly as happy with mentor 1, newcomer 1
    # is not. Greedy gives mentor 0 to whoever asks first: 0.9 + 0.1. The solver: 0.8 + 0.85.
    fit = np.array([[0.9, 0.8], [0.85, 0.1]])
    capacity = np.array([1, 1])
    greedy, best = greedy_assignment(fit, capacity), assign_cohort(fit, capacity)
    assert greedy.total_fit == pytest.approx(1.0)
    assert best.total_fit == pytest.approx(1.65)
    assert {(a.mentee, a.mentor) for a in best.assignments} == {(0, 1), (1, 0)}


def test_a_mentor_with_two_places_takes_two_newcomers() -> None:
    fit = np.array([[0.9, 0.2], [0.8, 0.3], [0.7, 0.1]])
    best = assign_cohort(fit, np.array([2, 1]))
    assert Counter(a.mentor for a in best.assignments) == {0: 2, 1: 1}
    assert best.unmatched == []


def test_unmatched_newcomers_say_why() -> None:
    fit = np.array([[0.9, 0.0], [0.8, 0.0], [0.0, 0.0]])
    best = assign_cohort(fit, np.array([1, 3]))
    assert [(a.mentee, a.mentor) for a in best.assignments] == [(0, 0)]
    assert {(u.mentee, u.reason) for u in best.unmatched} == {(1, PLACES_TAKEN), (2, NO_MENTOR)}


def test_no_places_at_all_leaves_everyone_unmatched() -> None:
    best = assign_cohort(np.array([[0.5, 0.4]]), np.array([0, 0]))
    assert best.assignments == [] and best.unmatched[0].reason == PLACES_TAKEN


@pytest.mark.parametrize("seed", range(25))
def test_optimal_within_capacity_and_never_worse_than_greedy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    newcomers, mentors = rng.integers(1, 6), rng.integers(1, 4)
    fit = rng.random((newcomers, mentors)) * (rng.random((newcomers, mentors)) > 0.3)
    capacity = rng.integers(0, 3, mentors)
    best, greedy = assign_cohort(fit, capacity), greedy_assignment(fit, capacity)
    assert _within_capacity(best, capacity) and _within_capacity(greedy, capacity)
    assert best.total_fit >= greedy.total_fit - 1e-9
    assert best.total_fit == pytest.approx(_brute_force_best(fit, capacity))
    assert all(a.fit > 0 for a in best.assignments)
    assert len(best.assignments) + len(best.unmatched) == newcomers


def test_bad_shapes_and_negative_values_are_refused() -> None:
    with pytest.raises(ValueError, match="one per mentor"):
        assign_cohort(np.ones((2, 3)), np.ones(2, dtype=int))
    with pytest.raises(ValueError, match="must not be negative"):
        greedy_assignment(-np.ones((1, 1)), np.ones(1, dtype=int))
