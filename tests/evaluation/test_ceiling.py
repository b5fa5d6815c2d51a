"""The ranker ceiling: pool coverage and the test-fitted ranker, on a hand-made history."""

import numpy as np
import pytest

from evaluation.ceiling import Ceiling, ranker_ceiling
from evaluation.protocol import HeldOutQuestion
from models.snapshot import Snapshot
from tests.models.tiny_snapshot import tiny_snapshot, unit

TOPICS = {"a": unit(1, 0, 0.2), "b": unit(0, 1, 0.2)}
MEMBERS = ["ana", "bo", "cy", "asker", "dee"]  # dee never answered anything


class TopicEmbedder:
    """Embeds a question by its first letter's topic."""

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray:
        return TOPICS[text[0]]


def _history() -> list[dict]:
    """Ana is accepted on topic a, cy on b; bo answers everything and is never accepted."""
    rows = []
    for i in range(40):
        topic = "ab"[i % 2]
        thread, age = len(rows), 40 - i
        question = {"author": 3, "kind": "question", "vector": TOPICS[topic], "text": f"{topic} issue"}
        rows.append({**question, "age_days": age, "thread": thread})
        for author, accepted in ((1, False), (0 if topic == "a" else 2, True)):
            answer = {"author": author, "kind": "answer", "vector": TOPICS[topic], "text": f"{topic} fix"}
            rows.append({**answer, "age_days": age - 0.5, "thread": thread, "accepted": accepted})
    return rows


def test_the_ceiling_counts_who_retrieval_finds_and_ranks_them_with_test_fitted_weights() -> None:
    snapshot = tiny_snapshot(_history(), MEMBERS)
    tests = [
        HeldOutQuestion("q1", "asker", "a issue", "ana"),
        HeldOutQuestion("q2", "asker", "b issue", "cy"),
        HeldOutQuestion("q3", "asker", "a issue", "dee"),  # no evidence: never a candidate
    ]
    ceiling = ranker_ceiling(snapshot, TopicEmbedder(), tests)
    assert (ceiling.kept, ceiling.in_pool) == (3, 2)
    assert ceiling.oracle_mrr == pytest.approx(2 / 3)  # both found experts first, the miss scores 0
    assert "for 2 of 3 questions" in ceiling.note() and "MRR 0.667" in ceiling.note()


def test_a_test_set_nobody_can_answer_has_no_ceiling_to_fit() -> None:
    snapshot = tiny_snapshot(_history(), MEMBERS)
    tests = [HeldOutQuestion("q1", "asker", "a issue", "dee")]
    assert ranker_ceiling(snapshot, TopicEmbedder(), tests) == Ceiling(1, 0, 0.0)
