"""Participation levels: the 15/35 split, recency and kind weights, the roll-up into parents."""

import numpy as np
import pytest

from models.participation import (
    LEVELS,
    Contributions,
    contribution_weights,
    participation,
    participation_levels,
)
from models.snapshot import KINDS

YEAR = 86400.0 * 365


def test_levels_split_15_35_rest_and_newcomers():
    weights = {f"m{i:02d}": float(20 - i) for i in range(20)} | {"idle": 0.0}
    levels = participation_levels(weights)
    assert [m for m, level in levels.items() if level == "core"] == ["m00", "m01", "m02"]
    assert [m for m, level in levels.items() if level == "active"] == [f"m{i:02d}" for i in range(3, 10)]
    assert sum(level == "peripheral" for level in levels.values()) == 10
    assert levels["idle"] == "newcomer"


def test_a_single_contributor_is_core_and_ties_break_by_id():
    assert participation_levels({"b": 1.0, "a": 0.0}) == {"b": "core", "a": "newcomer"}
    assert participation_levels({"y": 2.0, "x": 2.0, "z": 2.0}) == {
        "x": "core",
        "y": "active",
        "z": "peripheral",
    }


def test_empty_community_has_no_levels():
    assert participation_levels({}) == {}


def test_weights_halve_each_year_and_answers_count_double():
    kinds = np.array([KINDS.index(k) for k in ("answer", "question", "solution", "comment")])
    created = np.array([2 * YEAR, 2 * YEAR, YEAR, 0.0])
    assert contribution_weights(kinds, created, 2 * YEAR) == pytest.approx([1.0, 0.5, 0.5, 0.125])


def test_levels_rank_members_overall_and_in_covering_communities():
    activity = Contributions(
        author=np.array([0, 0, 1, 2]),
        community=np.array([1, 1, 1, -1]),  # child community 1 of parent 0
        kind=np.array([KINDS.index(k) for k in ("answer", "answer", "question", "comment")]),
        created=np.array([0.0, YEAR, YEAR, YEAR]),
    )
    levels = participation(activity, ["a", "b", "c"], parent=[-1, 0], joined=[[], [], [0]])

    assert levels.reference_time == YEAR
    assert [LEVELS[level] for level in levels.overall] == ["core", "active", "peripheral"]
    assert levels.per_community[0] == {0: LEVELS.index("core"), 1: LEVELS.index("core")}
    assert levels.per_community[2] == {0: LEVELS.index("newcomer")}  # joined, never took part there
