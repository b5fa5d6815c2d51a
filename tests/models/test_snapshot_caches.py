"""A snapshot is immutable: its per-version caches are computed once, where it is loaded."""

import dataclasses

import numpy as np
import pytest

from models.evidence import EvidenceWeights, age_share
from models.expert_features import community_activity, member_stats, with_caches
from tests.models.tiny_snapshot import tiny_snapshot, unit

ROWS = [
    {"author": 0, "kind": "answer", "vector": unit(1, 0), "text": "a fix", "age_days": 3},
    {"author": 1, "kind": "answer", "vector": unit(0, 1), "text": "b fix", "age_days": 1, "accepted": True},
    {"author": 1, "kind": "question", "vector": unit(1, 1), "text": "a issue", "age_days": 0},
]


def test_caches_hold_what_requests_would_compute_and_cannot_change() -> None:
    plain = tiny_snapshot(ROWS, ["ana", "bo"])
    weights = EvidenceWeights()
    cached = with_caches(plain, weights)

    assert np.array_equal(age_share(cached), age_share(plain))
    assert np.array_equal(member_stats(cached, weights), member_stats(plain, weights))
    assert (community_activity(cached, weights) != community_activity(plain, weights)).nnz == 0
    assert member_stats(cached, weights) is member_stats(cached, weights)  # read, not recomputed
    assert plain.cache == {}  # reading a snapshot never fills it
    with pytest.raises(TypeError):
        cached.cache["age_share"] = np.zeros(3)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached.version = 2  # type: ignore[misc]
