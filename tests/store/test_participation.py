"""Participation levels and the recency-weighted counts they rank."""

from datetime import UTC, datetime, timedelta

import pytest

from models.participation import contribution_weight, participation_levels, weighted_counts


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
    assert contribution_weight("answer", 0) == 1.0
    assert contribution_weight("question", 0) == 0.5
    assert contribution_weight("solution", 365) == pytest.approx(0.5)
    assert contribution_weight("comment", 730) == pytest.approx(0.125)


def test_weighted_counts_sum_per_member_from_the_reference_time():
    now = datetime(2024, 1, 1, tzinfo=UTC)
    rows = [
        ("ana", "answer", now),
        ("ana", "question", now - timedelta(days=365)),
        ("ben", "document", now - timedelta(days=730)),
    ]
    assert weighted_counts(rows, now) == pytest.approx({"ana": 1.25, "ben": 0.25})
