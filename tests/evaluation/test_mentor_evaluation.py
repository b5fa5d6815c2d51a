"""The mentor evaluation end to end on the small demo organization, with the real encoder."""

import pytest

from evaluation.mentors import evaluate_mentors
from models.encoder import Encoder
from service.demo.generator import generate_demo
from store.importers.bundle import read_bundle
from store.settings import Settings


@pytest.mark.slow
def test_mentor_evaluation_on_the_demo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    batch = read_bundle(tmp_path / "bundle")
    table = evaluate_mentors(
        "demo", batch, tmp_path / "work", tmp_path / "out", Encoder(path="bf16"), Settings(_env_file=None)
    )
    rows = dict(table.rows)
    assert list(rows) == ["expert ranking", "copmatch mentors", "copmatch mentors -load-spreading"]
    assert all(0.0 <= float(values["MRR"]) <= 1.0 for values in rows.values())
    assert (tmp_path / "out" / "runs" / "copmatchmentors.run").read_text().strip()
