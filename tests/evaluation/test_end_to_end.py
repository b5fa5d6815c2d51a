"""The expert evaluation end to end on the small demo organization, with the real encoder."""

import pytest

from evaluation.experts import evaluate_experts
from evaluation.metrics import read_trec_run
from models.encoder import Encoder
from service.demo.generator import generate_demo
from store.importers.bundle import read_bundle
from store.settings import Settings

METHODS = [
    "popularity",
    "tfidf-voting",
    "dense-voting",
    "copmatch",
    "copmatch (default weights)",
    "copmatch -lexical",
    "copmatch -recency",
    "copmatch -kind-weights",
    "copmatch -topic",
    "copmatch -community",
    "copmatch -profile",
    "copmatch -activity",
    "copmatch -track-record",
    "copmatch -load-spreading",
]


@pytest.mark.slow
def test_expert_evaluation_on_the_demo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    batch = read_bundle(tmp_path / "bundle")
    settings = Settings(_env_file=None)
    table = evaluate_experts("demo", batch, tmp_path / "work", tmp_path / "out", Encoder(), settings)
    rows = dict(table.rows)
    assert [method for method, _ in table.rows] == METHODS
    assert table.columns == ["MRR", "P@1", "NDCG@10", "R@10"]
    assert all(0.0 <= value <= 1.0 for values in rows.values() for value in values.values())
    assert rows["copmatch"]["MRR"] > rows["popularity"]["MRR"]  # planted experts are found
    run = read_trec_run(tmp_path / "out" / "runs" / "copmatch.run")
    assert 0 < len(run) <= 25 and all(len(ranked) <= 100 for ranked in run.values())
    assert (tmp_path / "out" / "qrels.txt").read_text().strip()
