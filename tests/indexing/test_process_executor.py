"""Worker processes of one encoder thread each embed what the in-process encoder embeds, or say why not."""

import multiprocessing
import os

import numpy as np
import pytest

from indexing.job import encoder_options, index_processes, make_encoder, make_index_encoder
from indexing.process_encoder import MIN_POOL_PASSES, ProcessEncoder
from models.encoder import Encoder, EncoderError

BATCH = 4
TEXTS = [
    f"question {i}: why does the {'replica ' * (i % 7)}lag behind the primary server?" for i in range(45)
]


@pytest.fixture
def pool_settings(settings):  # type: ignore[no-untyped-def]
    """Small passes (so a short list is a pool job), two workers, the fp32 path (no export)."""
    return settings.model_copy(
        update={"encoder_batch_size": BATCH, "index_processes": 2, "encoder_path": "fp32"}
    )


def test_zero_processes_means_the_layout_measured_fastest_for_the_path(settings) -> None:  # type: ignore[no-untyped-def]
    onnx, torch = (settings.model_copy(update={"encoder_path": path}) for path in ("onnx-int8", "fp32"))
    assert index_processes(onnx) == len(os.sched_getaffinity(0))  # one per core
    assert index_processes(torch) == 1  # torch: in-process
    assert index_processes(onnx.model_copy(update={"index_processes": 3})) == 3


@pytest.mark.slow
def test_one_process_embeds_in_process(pool_settings) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(make_index_encoder(pool_settings.model_copy(update={"index_processes": 1})), Encoder)


@pytest.mark.slow
def test_workers_give_the_in_process_vectors(pool_settings) -> None:  # type: ignore[no-untyped-def]
    assert len(TEXTS) >= MIN_POOL_PASSES * BATCH  # a pool job
    expected = make_encoder(pool_settings).encode(TEXTS)
    workers = make_index_encoder(pool_settings)
    assert isinstance(workers, ProcessEncoder)
    try:
        vectors = workers.encode(TEXTS)
        assert len(multiprocessing.active_children()) == 2  # the job ran on the workers
        np.testing.assert_allclose(vectors, expected, atol=1e-5)
        np.testing.assert_allclose(workers.encode(TEXTS[:3]), expected[:3], atol=1e-5)  # small: in-process
    finally:
        workers.close()
    assert not multiprocessing.active_children()


@pytest.mark.slow
def test_a_worker_that_would_embed_under_another_name_fails_the_job(pool_settings) -> None:  # type: ignore[no-untyped-def]
    local = make_encoder(pool_settings)
    other = encoder_options(pool_settings, threads=1) | {"max_tokens": 128}  # not the driver's limit
    workers = ProcessEncoder(local, other, 2)
    try:
        with pytest.raises(EncoderError, match="ended abruptly"):
            workers.encode(TEXTS)
    finally:
        workers.close()
