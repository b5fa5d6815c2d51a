"""The evaluation workspace: a bundle imported and indexed for real, reused when unchanged."""

from datetime import UTC, datetime

import numpy as np

from evaluation.protocol import before
from evaluation.workspace import QueryCache, prepare_workspace, write_bundle
from store.importers.bundle import read_bundle
from store.settings import Settings
from tests.indexing.fakes import FakeEncoder
from tests.store.bundles import MEMBERS
from tests.store.bundles import write_bundle as write_test_bundle


def test_written_bundle_reads_back_the_same(tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch = read_bundle(write_test_bundle(tmp_path / "given"))
    write_bundle(batch, tmp_path / "copy")
    again = read_bundle(tmp_path / "copy")
    assert [i.record for i in again.contributions] == [i.record for i in batch.contributions]
    assert [i.record for i in again.members] == [i.record for i in batch.members]
    assert [i.record for i in again.communities] == [i.record for i in batch.communities]


def test_unchanged_bundle_reuses_store_and_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch = read_bundle(write_test_bundle(tmp_path / "given"))
    settings = Settings(_env_file=None)
    first = FakeEncoder()
    workspace = prepare_workspace(tmp_path / "work", batch, first, settings, progress=False)
    assert first.embedded
    vectors = workspace.vectors(["q1", "a1"])
    assert vectors.shape == (2, first.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    second = FakeEncoder()
    again = prepare_workspace(tmp_path / "work", batch, second, settings, progress=False)
    assert second.embedded == []
    assert again.holder.get().version == workspace.holder.get().version == 1


def test_another_split_of_the_same_dataset_is_imported_incrementally(tmp_path) -> None:  # type: ignore[no-untyped-def]
    batch = read_bundle(write_test_bundle(tmp_path / "given"))
    settings = Settings(_env_file=None)
    prepare_workspace(tmp_path / "work", batch, FakeEncoder(), settings, progress=False)
    earlier = before(batch, datetime(2021, 3, 2, tzinfo=UTC))  # q1, a1, c1 without d1
    encoder = FakeEncoder()
    workspace = prepare_workspace(tmp_path / "work", earlier, encoder, settings, progress=False)
    assert encoder.embedded == []  # every text was in the previous version
    assert sorted(workspace.holder.get().contributions.ids) == ["a1", "c1", "q1"]


def test_another_roster_starts_from_an_empty_home(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None)
    batch = read_bundle(write_test_bundle(tmp_path / "given"))
    first = FakeEncoder()
    prepare_workspace(tmp_path / "work", batch, first, settings, progress=False)
    renamed = [{**m, "name": m["name"] + "!"} for m in MEMBERS]
    other = read_bundle(write_test_bundle(tmp_path / "other", members=renamed))
    encoder = FakeEncoder()
    workspace = prepare_workspace(tmp_path / "work", other, encoder, settings, progress=False)
    assert first.embedded and encoder.embedded == []  # a new home, but every text's vector was kept
    assert workspace.holder.get().version == 1


def test_query_vectors_are_embedded_once_across_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = tmp_path / "not-yet" / "queries.npz"  # its folder is made (a first benchmark run's home)
    first = FakeEncoder()
    cache = QueryCache(first, ["slow join", "backup", "slow join"], store, progress=False)
    assert first.embedded == ["slow join", "backup"]
    second = FakeEncoder()
    again = QueryCache(second, ["backup", "slow join"], store, progress=False)
    assert second.embedded == []
    assert np.array_equal(again.matrix(["slow join"]), cache.matrix(["slow join"]))
    assert np.array_equal(again.encode_query("backup"), first.encode(["backup"])[0])
    assert np.array_equal(again.encode(["backup", "new"])[0], again.encode_query("backup"))
    assert second.embedded == ["new"]
