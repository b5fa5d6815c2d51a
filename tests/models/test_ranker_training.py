"""Learning the expert ranker from a hand-made history of accepted answers."""

import numpy as np

from models.evidence import EvidenceWeights, age_share
from models.expert_features import DEFAULT_RANKER, FEATURES
from models.experts import ExpertWeights, rank_experts
from models.ranker import TrainingList
from models.ranker_training import (
    MIN_QUESTIONS,
    accepted_authors,
    chosen_share,
    cut_shares,
    learn_ranker,
    trusted_share,
    validation_split,
    view_as_of,
)
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


def test_a_small_organization_trains_on_earlier_cuts_a_large_one_on_the_last_two() -> None:
    assert cut_shares(10_000) == [0.8, 0.9]
    assert cut_shares(2_000) == [0.7, 0.8, 0.9]  # 0.8 spans 400 questions, 0.7 spans 600
    assert cut_shares(100) == [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def test_validation_overrules_the_trust_by_size_only_when_clearly_better() -> None:
    assert trusted_share(0) == 0.0 and trusted_share(100) == 0.5 and 0.8 < trusted_share(600) < 1.0
    rng, n = np.random.default_rng(0), len(FEATURES)
    good = [
        TrainingList(np.array([[0.0] * n, [1.0] * n], np.float32) + rng.normal(0, 0.1, (2, n)), 1)
        for _ in range(30)
    ]
    flipped = [TrainingList(item.features.astype(np.float32), target=0) for item in good]
    assert chosen_share(good[:10], good, 0.5) == 0.0  # too few to fit on: the defaults
    assert chosen_share(flipped, good[:10], 1.0) < 1.0  # the past misleads: the window says so
    assert chosen_share(flipped, flipped[:10], 0.0) > 0.0  # only learned weights put these first
    assert chosen_share(good, good[:10], 0.6) == 0.6  # every blend ranks these alike: trust by size


def test_the_most_active_members_are_candidates_without_matching_evidence() -> None:
    rows, vectors = _history(40)
    rows.append({"author": 4, "kind": "answer", "vector": unit(0, 0, 1), "text": "zzz", "age_days": 0.1})
    snapshot = tiny_snapshot(rows, [*MEMBERS, "eve"])
    found = retrieve(snapshot, TOPICS["a"], "a issue", FusionWeights(candidates=2), 2)
    hits = rank_experts(
        snapshot, TOPICS["a"], "a issue", 10, weights=ExpertWeights(fusion=FusionWeights(candidates=2))
    )
    assert {int(m) for m in snapshot.contributions.author[found.dense.rows]} < {h.member for h in hits}
    alone = [h for h in hits if not h.evidence]
    assert alone and all(h.support == 0 for h in alone)
    none = ExpertWeights(fusion=FusionWeights(candidates=2), regulars=0)
    assert len(rank_experts(snapshot, TOPICS["a"], "a issue", 10, weights=none)) < len(hits)


def test_the_validation_window_is_the_last_cut_or_at_least_its_minimum() -> None:
    rows, _ = _history(400)
    snapshot = tiny_snapshot(rows, MEMBERS)
    asked = np.sort(np.asarray(snapshot.contributions.created)[[r["kind"] == "question" for r in rows]])

    def lists(times: np.ndarray) -> list[TrainingList]:
        return [TrainingList(np.zeros((2, 1), np.float32), 0, float(t)) for t in times]

    fitting, validation = validation_split(snapshot, lists(asked[::-1]))
    assert len(validation) == 40 and min(v.asked for v in validation) >= asked[360]  # the last tenth
    assert len(fitting) == 360 and max(f.asked for f in fitting) < asked[360]
    fitting, validation = validation_split(snapshot, lists(asked[::10]))  # 4 lists in the last tenth
    assert len(validation) == 30 and len(fitting) == 10
