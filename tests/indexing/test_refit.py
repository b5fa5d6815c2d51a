"""Incremental builds keep the previous static query encoder and ranker until enough changed."""

import numpy as np

from indexing.job import run_index
from indexing.refit import Fitted, changed_since_refit, reuse_fits
from indexing.versions import current_dir, read_manifest
from models.query_encoder import StaticQueryEncoder
from tests.indexing.fakes import THREADS, FakeEncoder, edit


def test_the_rule_counts_change_since_the_fit_and_feedback() -> None:
    fitted = Fitted(changed_since_refit=3, feedback_cases=2)
    assert reuse_fits(fitted, changed=1, contributions=100, feedback=2, share=0.05)
    assert not reuse_fits(fitted, changed=2, contributions=100, feedback=2, share=0.05)  # 5 of 100
    assert not reuse_fits(fitted, changed=0, contributions=100, feedback=3, share=0.05)  # new feedback
    assert not reuse_fits(None, changed=0, contributions=100, feedback=0, share=0.05)
    assert changed_since_refit(fitted, 1, reused=True) == 4
    assert changed_since_refit(fitted, 1, reused=False) == 0


def test_a_small_change_keeps_the_fits_and_counts_it(settings, sessions, encoder) -> None:
    settings = settings.model_copy(update={"refit_share": 0.05})
    run_index(settings, encoder=encoder, progress=False)
    first = current_dir(settings.index_dir)
    edit(sessions, "a7x", "zanzibar replication")
    summary = run_index(settings, encoder=FakeEncoder(), progress=False)
    second = current_dir(settings.index_dir)

    assert summary.version == 2 and summary.embedded == 1
    manifest = read_manifest(second)
    assert manifest["fits_reused"] and manifest["changed_since_refit"] == 1
    assert (second / "ranker.json").read_text() == (first / "ranker.json").read_text()
    kept, before = StaticQueryEncoder.load(second), StaticQueryEncoder.load(first)
    assert kept.vocabulary == before.vocabulary and "zanzibar" not in kept.vocabulary
    assert np.array_equal(kept.table, before.table)

    edit(sessions, "a8x", "another edit", minutes=2)
    run_index(settings, encoder=FakeEncoder(), progress=False)
    assert read_manifest(current_dir(settings.index_dir))["changed_since_refit"] == 2


def test_enough_change_refits(settings, sessions, encoder) -> None:
    settings = settings.model_copy(update={"refit_share": 1 / (THREADS * 4)})  # one text is enough
    run_index(settings, encoder=encoder, progress=False)
    edit(sessions, "a7x", "zanzibar replication")
    run_index(settings, encoder=FakeEncoder(), progress=False)
    directory = current_dir(settings.index_dir)
    manifest = read_manifest(directory)
    assert not manifest["fits_reused"] and manifest["changed_since_refit"] == 0
    assert "zanzibar" in StaticQueryEncoder.load(directory).vocabulary


def test_a_full_build_refits(settings, sessions, encoder) -> None:
    run_index(settings, encoder=encoder, progress=False)
    run_index(settings, full=True, encoder=FakeEncoder(), progress=False)
    assert not read_manifest(current_dir(settings.index_dir))["fits_reused"]
