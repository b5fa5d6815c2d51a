"""Learning the expert ranker from a hand-made history of accepted answers."""

import numpy as np

from models.evidence import EvidenceWeights, age_share
from models.expert_features import DEFAULT_RANKER
from models.experts import ExpertWeights, rank_experts
from models.ranker_training import MIN_QUESTIONS, accepted_authors, learn_ranker, view_as_of
from models.retrieval import FusionWeights, retrieve
from tests.models.tiny_snapshot import tiny_snapshot, unit

TOPICS = {"a": unit(1, 0, 0.2), "b": unit(0, 1, 0.2)}
MEMBERS = ["ana", "bo", "cy", "asker"]


def _history(questions: int) -> tuple[list[dict], np.ndarray]:
    """Questions alternating between topics a and b, newest last. Ana is accepted on a, cy on b;
    bo, the busiest, answers every question and is never accepted."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(questions):
        topic = "ab"[i % 2]
        base = TOPICS[topic] + rng.normal(scale=0.05, size=3)
        vector = (base / np.linalg.norm(base)).astype(np.float32)
        age = questions - i
        thread = len(rows)
        expert = 0 if topic == "a" else 2
        rows.append(
            {
                "author": 3,
                "kind": "question",
                "vector": vector,
                "text": f"{topic} issue",
                "age_days": age,
                "thread": thread,
            }
        )
        for author, accepted in ((1, False), (expert, True)):
            rows.append(
                {
                    "author": author,
                    "kind": "answer",
                    "vector": vector,
                    "text": f"{topic} fix",
                    "age_days": age - 0.5,
                    "thread": thread,
                    "accepted": accepted,
                }
            )
    return rows, np.stack([r["vector"] for r in rows])


def test_a_view_sees_only_what_came_before_its_cutoff() -> None:
    rows, vectors = _history(10)
    snapshot = tiny_snapshot(rows, MEMBERS)
    cutoff = float(np.median(snapshot.contributions.created))
    view = view_as_of(snapshot, cutoff, vectors, EvidenceWeights())
    found = retrieve(view, TOPICS["a"], "a issue", FusionWeights(), 100)
    created = np.asarray(snapshot.contributions.created)
    assert found.dense.rows.size and (created[found.dense.rows] < cutoff).all()
    assert found.lexical.rows.size and (created[found.lexical.rows] < cutoff).all()
    assert (created[found.dense.rows] < cutoff).sum() == (created < cutoff).sum()
    assert age_share(view)[created >= cutoff].min() == 1.0 and age_share(view)[created < cutoff].min() == 0.0
    assert accepted_authors(snapshot) == {r["thread"]: r["author"] for r in rows if r.get("accepted")}


def test_the_learned_ranker_prefers_who_gets_accepted_over_who_is_busy() -> None:
    rows, vectors = _history(120)
    snapshot = tiny_snapshot(rows, MEMBERS)
    model = learn_ranker(snapshot, vectors)
    assert model.trained_on >= MIN_QUESTIONS and model != DEFAULT_RANKER
    for topic, expert in (("a", "ana"), ("b", "cy")):
        learned, default = (
            rank_experts(snapshot, TOPICS[topic], f"{topic} issue", 3, weights=weights, exclude=[3])
            for weights in (ExpertWeights(ranker=model), ExpertWeights(ranker=DEFAULT_RANKER))
        )
        assert snapshot.members.ids[learned[0].member] == expert
        assert learned[0].score > default[0].score  # surer than the shipped weights


def test_too_short_a_history_keeps_the_default_weights() -> None:
    rows, vectors = _history(8)
    assert learn_ranker(tiny_snapshot(rows, MEMBERS), vectors) is DEFAULT_RANKER
