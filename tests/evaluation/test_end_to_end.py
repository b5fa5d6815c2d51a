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
    "copmatch -tags",
    "copmatch -activity",
    "copmatch -track-record",
    "copmatch -load-spreading",
]


@pytest.mark.slow
def test_expert_evaluation_on_the_demo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    batch = read_bundle(tmp_path / "bundle")
    settings = Settings(_env_file=None)
    table = evaluate_experts(
        "demo", batch, tmp_path / "work", tmp_path / "out", Encoder(path="bf16"), settings
    )
    rows = dict(table.rows)
    assert [method for method, _ in table.rows] == METHODS
    assert table.columns == ["MRR", "MRR 95% CI", "P@1", "NDCG@10", "R@10"]
    assert all(0.0 <= values[c] <= 1.0 for values in rows.values() for c in ("MRR", "P@1", "R@10"))
    low, high = (float(x) for x in rows["copmatch"]["MRR 95% CI"].split("-"))
    assert low <= rows["copmatch"]["MRR"] <= high
    assert rows["copmatch"]["MRR"] > rows["popularity"]["MRR"]  # planted experts are found
    run = read_trec_run(tmp_path / "out" / "runs" / "copmatch.run")
    assert 0 < len(run) <= 25 and all(len(ranked) <= 100 for ranked in run.values())
    assert (tmp_path / "out" / "qrels.txt").read_text().strip()


@pytest.mark.slow
def test_rolling_windows_pool_the_questions_of_each_cutoff(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    batch = read_bundle(tmp_path / "bundle")
    settings = Settings(_env_file=None)
    single = evaluate_experts(
        "demo", batch, tmp_path / "work", tmp_path / "one", Encoder(path="bf16"), settings
    )
    pooled = evaluate_experts(
        "demo",
        batch,
        tmp_path / "work",
        tmp_path / "two",
        Encoder(path="bf16"),
        settings,
        windows=2,
        ablations=False,
    )
    assert [m for m, _ in pooled.rows] == METHODS[:5]
    assert any(note.startswith("window 2: cutoff T") for note in pooled.notes)
    kept = [int(n.split("kept ")[1].split(",")[0]) for n in pooled.notes if n.startswith("window")]
    assert len(read_trec_run(tmp_path / "two" / "runs" / "copmatch.run")) == sum(kept)
    assert len(read_trec_run(tmp_path / "one" / "runs" / "copmatch.run")) == kept[0]
    assert dict(pooled.rows)["popularity"]["MRR"] != dict(single.rows)["popularity"]["MRR"]
