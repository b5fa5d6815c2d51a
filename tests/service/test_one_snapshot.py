"""A request takes the snapshot once: a swap mid-request cannot mix two index versions."""

import numpy as np

from service.queries import StaticQueries
from service.recommender import Recommender
from tests.models.tiny_snapshot import tiny_snapshot, unit

ROWS = [
    {"author": 0, "kind": "answer", "vector": unit(1, 0), "text": "kafka consumer lag fix"},
    {"author": 1, "kind": "answer", "vector": unit(0, 1), "text": "postgres vacuum tuning"},
]


class CountingHolder:
    """Serves one snapshot and counts how often it is asked."""

    def __init__(self) -> None:
        self.snapshot, self.gets = tiny_snapshot(ROWS, ["ana", "bo"]), 0

    def get(self):  # type: ignore[no-untyped-def]
        self.gets += 1
        return self.snapshot


class ModelEncoder:
    """The sentence encoder's stand-in: the static encoder knows every query word here."""

    def encode_query(self, text: str) -> np.ndarray:
        raise AssertionError("static vectors cover these queries")


def test_experts_and_solutions_take_the_snapshot_once_with_static_queries() -> None:
    holder = CountingHolder()
    recommender = Recommender(holder, StaticQueries(ModelEncoder(), 256))  # type: ignore[arg-type]
    assert recommender.experts("kafka consumer lag", 2).items
    assert holder.gets == 1
    recommender.solutions("postgres vacuum", 2)
    assert holder.gets == 2
