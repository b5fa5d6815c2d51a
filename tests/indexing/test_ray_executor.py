"""`--executor ray`: the embedding step on a local Ray publishes the version the in-process build does."""

import shutil
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from indexing.job import make_encoder, make_index_encoder, run_index
from indexing.versions import current_dir, read_manifest
from models.snapshot import Snapshot
from service.cli import app


@pytest.fixture(scope="module")
def ray():  # type: ignore[no-untyped-def]
    """A local Ray of two CPUs and a small object store, shut down after the module."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, object_store_memory=256 * 2**20, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def _published(settings) -> tuple[Snapshot, dict[str, np.ndarray]]:  # type: ignore[no-untyped-def]
    """The current version and its stored vectors by name (contributions, profiles, communities)."""
    directory = current_dir(settings.index_dir)
    vectors = {
        "contributions": np.load(directory / "c_embeddings.npy"),
        "profiles": np.load(directory / "profile_vectors.npy"),
        "community texts": np.load(directory / "community_text_vectors.npy"),
    }
    return Snapshot.load(directory), vectors


@pytest.mark.slow
def test_ray_build_publishes_the_in_process_version(ray, settings, sessions) -> None:  # type: ignore[no-untyped-def]
    settings = settings.model_copy(
        update={"encoder_path": "onnx-int8"}
    )  # the same vectors at any thread count
    local = make_encoder(settings)  # exports the ONNX model once into the home the actors read
    in_process = run_index(settings, encoder=local, progress=False)
    expected, expected_vectors = _published(settings)
    shutil.rmtree(settings.index_dir)

    ray_settings = settings.model_copy(update={"index_executor": "ray", "ray_actors": 2})
    distributed = make_index_encoder(ray_settings)
    summary = run_index(ray_settings, progress=False, encoder=distributed)

    assert distributed.name == local.name and summary.embedded == in_process.embedded > 0
    snapshot, vectors = _published(ray_settings)
    assert list(snapshot.contributions.ids) == list(expected.contributions.ids)
    assert snapshot.members.ids == expected.members.ids
    assert list(snapshot.contributions.content_hash) == list(expected.contributions.content_hash)
    for name, array in vectors.items():
        assert array.shape == expected_vectors[name].shape, name
        assert np.allclose(array, expected_vectors[name], atol=1e-5), name
    assert read_manifest(current_dir(settings.index_dir))["encoder"] == local.name


def test_without_ray_the_cli_says_how_to_install_it(settings, sessions, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as where it is not installed
    result = CliRunner().invoke(
        app, ["index", "--executor", "ray"], env={"COPMATCH_HOME": str(settings.home)}
    )
    assert result.exit_code == 2
    assert "pip install -e '.[ray]'" in result.output
