"""The indexing job's embedding step on worker processes of one intra-op thread each, on this machine.

On 2 cores two processes of one thread embed faster than one process of two threads (thread pools,
not arithmetic, are what two threads lose: docs/benchmarks.md). The driver keeps its own Encoder for
the build's name and dimension and for small jobs, where starting the workers would cost more than
they save; larger jobs go to a pool of workers started once and kept for the encoder's life. The
service's query path never uses this: it embeds in its own process.
"""

import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import numpy as np
from tqdm import tqdm

from indexing.embeddings import TextEncoder
from indexing.passes import embed_passes, text_passes, worker_encoder
from models.encoder import Encoder, EncoderError

log = logging.getLogger(__name__)

MIN_POOL_PASSES = 8  # smaller jobs embed in the driver: starting the workers costs ~1 s (onnx-int8)
PASSES_PER_TASK = 4  # forward passes per task sent to a worker

_worker: Encoder | None = None  # a worker process's encoder


def _load_worker(options: dict, name: str) -> None:
    """Pool initializer: this worker's encoder, one intra-op thread."""
    global _worker
    _worker = worker_encoder(options, name)


def _embed(passes: list[list[str]]) -> list[np.ndarray]:
    """Pool task: embed these passes with this worker's encoder."""
    if _worker is None:
        raise EncoderError("the worker's encoder was not loaded")
    return embed_passes(_worker, passes)


class ProcessEncoder:
    """A TextEncoder whose large jobs run on `processes` worker processes, one encoder thread each."""

    def __init__(self, local: TextEncoder, options: dict, processes: int) -> None:
        """Args:
        local: the driver's encoder (made first, so an ONNX export exists before workers load it).
        options: Encoder arguments of each worker (`threads` 1; its `batch_size` cuts the passes).
        processes: how many workers.
        """
        self.local, self.options, self.processes = local, options, processes
        self.name, self.dim = local.name, local.dim
        self._pool: ProcessPoolExecutor | None = None

    def _started(self) -> ProcessPoolExecutor:
        """The worker pool, started on first use (spawned: no forked copy of the driver's state)."""
        if self._pool is None:
            log.info("starting %d embedding workers of one thread each", self.processes)
            self._pool = ProcessPoolExecutor(
                self.processes,
                multiprocessing.get_context("spawn"),
                initializer=_load_worker,
                initargs=(self.options, self.name),
            )
        return self._pool

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed `texts`; row i is text i, equal to what the driver's encoder alone returns.

        Raises:
            EncoderError: a worker process died or could not load its encoder.
        """
        rows, passes = text_passes(texts, self.options["batch_size"])
        if len(passes) < MIN_POOL_PASSES:
            return self.local.encode(texts, progress)
        pool = self._started()
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        tasks = {}
        for start in range(0, len(passes), PASSES_PER_TASK):
            end = start + PASSES_PER_TASK
            tasks[pool.submit(_embed, passes[start:end])] = rows[start:end]
        with tqdm(total=len(texts), desc="embedding", unit="text", disable=not progress) as bar:
            for task in as_completed(tasks):
                for pass_rows, part in zip(tasks[task], self._result(task), strict=True):
                    vectors[pass_rows] = part
                    bar.update(len(pass_rows))
        return vectors

    def _result(self, task: Future[list[np.ndarray]]) -> list[np.ndarray]:
        """A task's vectors; a dead worker becomes an EncoderError (and the pool is shut down)."""
        try:
            return task.result()
        except BrokenProcessPool as error:
            self.close()
            raise EncoderError(
                "an embedding worker process ended abruptly (killed, out of memory, or its encoder could"
                " not load: see its messages above); set COPMATCH_INDEX_PROCESSES=1 to embed in-process"
            ) from error

    def close(self) -> None:
        """Stop the workers, if started."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
