"""Metric plumbing on hand-made rankings with known answers."""

import math

import ir_measures
import pytest
from ir_measures import Qrel

from evaluation.metrics import (
    EXPERT_MEASURES,
    evaluate,
    gini,
    read_trec_run,
    score_runs,
    write_trec_qrels,
    write_trec_run,
)

QRELS = [Qrel("q1", "expert", 2), Qrel("q1", "helper", 1)]


def test_expert_at_rank_two() -> None:
    scores = evaluate(QRELS, {"q1": ["helper", "expert", "other"]}, EXPERT_MEASURES, ["q1"])
    dcg = 1 / math.log2(2) + 2 / math.log2(3)  # helper (1) at rank 1, expert (2) at rank 2
    ideal = 2 / math.log2(2) + 1 / math.log2(3)
    assert scores["MRR"] == pytest.approx(0.5)
    assert scores["P@1"] == 0.0
    assert scores["R@10"] == 1.0
    assert scores["NDCG@10"] == pytest.approx(dcg / ideal)


def test_only_the_accepted_answerer_counts_for_mrr() -> None:
    scores = evaluate(QRELS, {"q1": ["helper", "a", "b", "expert"]}, EXPERT_MEASURES, ["q1"])
    assert scores["MRR"] == pytest.approx(0.25)


def test_expert_below_ten_and_missing_queries_count_zero() -> None:
    qrels = [*QRELS, Qrel("q2", "expert", 2)]
    ranked = [f"m{i}" for i in range(10)] + ["expert"]
    scores = evaluate(qrels, {"q1": ranked}, EXPERT_MEASURES, ["q1", "q2"])
    assert scores["MRR"] == pytest.approx((1 / 11) / 2)
    assert scores["R@10"] == 0.0


def test_trec_run_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rankings = {"q1": ["helper", "expert", "c"], "q2": ["z"]}
    path = tmp_path / "method.run"
    write_trec_run(path, rankings, "method")
    lines = path.read_text().splitlines()
    assert lines[0] == "q1 Q0 helper 1 3 method"
    assert all(len(line.split()) == 6 for line in lines)
    assert read_trec_run(path) == rankings
    from_file = ir_measures.calc_aggregate(
        [EXPERT_MEASURES["MRR"]], QRELS, ir_measures.read_trec_run(str(path))
    )
    assert from_file[EXPERT_MEASURES["MRR"]] == pytest.approx(0.5)


def test_trec_qrels_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "qrels.txt"
    write_trec_qrels(path, QRELS)
    assert list(ir_measures.read_trec_qrels(str(path))) == QRELS


def test_score_runs_writes_every_run_and_scores_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    runs = {"copmatch -lexical": {"q1": ["expert"]}, "popularity": {"q1": ["helper", "expert"]}}
    rows = score_runs(tmp_path, QRELS, runs, EXPERT_MEASURES, ["q1"])
    mrr = [(method, scores["MRR"]) for method, scores in rows]
    assert mrr == [("copmatch -lexical", 1.0), ("popularity", 0.5)]
    assert read_trec_run(tmp_path / "runs" / "copmatch-lexical.run") == runs["copmatch -lexical"]
    assert list(ir_measures.read_trec_qrels(str(tmp_path / "qrels.txt"))) == QRELS


@pytest.mark.parametrize(
    ("counts", "expected"),
    [([0, 0, 0, 1], 0.75), ([2, 2, 2], 0.0), ([1, 3], 0.25), ([], 0.0), ([0, 0], 0.0)],
)
def test_gini(counts: list[int], expected: float) -> None:
    assert gini(counts) == pytest.approx(expected)
