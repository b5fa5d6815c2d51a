"""The indexing job's embedding step on Ray: Ray Data `map_batches` over a pool of encoder actors.

Only the embedding moves, by the rule of indexing.passes: each Ray row is one of the encoder's own
forward passes, every actor holds one Encoder made from the same settings, and each pass's vectors
come back to its rows. RAY_ADDRESS names the cluster (every node needs copmatch installed); without
it a local Ray is started for the run.
"""

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from tqdm import tqdm

from indexing.job import encoder_options
from indexing.passes import embed_passes, text_passes, worker_encoder
from models.encoder import Encoder
from store.settings import Settings

log = logging.getLogger(__name__)

INSTALL_HINT = "the Ray executor needs Ray: pip install -e '.[ray]'"
PASSES_PER_BATCH = 16  # forward passes per Ray batch: what one actor call embeds
LOCAL_OBJECT_STORE = 512 * 2**20  # a local Ray's shared memory for the texts and vectors in flight


class RayUnavailableError(RuntimeError):
    """The Ray executor was asked for, but Ray is not installed."""


def _ray() -> Any:
    """The ray module, or an error saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (the Data library is part of the extra)
    except ImportError as error:
        raise RayUnavailableError(INSTALL_HINT) from error
    return ray


def _describe(options: dict) -> tuple[str, int]:
    """Name (model/path in force) and dimension of the encoder an actor will hold."""
    encoder = Encoder(**options)
    return encoder.name, encoder.dim


class EncoderActor:
    """One Encoder per Ray actor; refuses to start where the node would embed with another path."""

    def __init__(self, options: dict, name: str) -> None:
        self.encoder = worker_encoder(options, name)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Embed each row's pass; the vectors travel as float32 bytes next to the pass number."""
        passes = [[str(text) for text in texts] for texts in batch["texts"]]
        vectors = [part.tobytes() for part in embed_passes(self.encoder, passes)]
        return {"pass": batch["pass"], "vectors": np.array(vectors, dtype=object)}


def _connect(ray: Any, cpus: int) -> None:
    """Join the cluster RAY_ADDRESS names, or start a local Ray with `cpus` CPUs for this process."""
    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        ray.init(logging_level=logging.WARNING)
        return
    ray.init(
        num_cpus=max(cpus, os.cpu_count() or 1),
        object_store_memory=LOCAL_OBJECT_STORE,
        include_dashboard=False,
        logging_level=logging.WARNING,
    )


class RayEncoder:
    """A TextEncoder whose `encode` is one Ray Data job over `settings.ray_actors` encoder actors."""

    def __init__(self, settings: Settings) -> None:
        self.ray = _ray()
        self.actors, self.cpus = settings.ray_actors, settings.ray_actor_cpus
        self.batch_size = settings.encoder_batch_size
        self.options = encoder_options(settings, settings.torch_threads or self.cpus)
        _connect(self.ray, self.actors * self.cpus)
        self.ray.data.DataContext.get_current().enable_progress_bars = False
        describe = self.ray.remote(num_cpus=self.cpus)(_describe)
        self.name, self.dim = self.ray.get(describe.remote(self.options))
        log.info("Ray executor: %d actors of %d CPUs, encoder %s", self.actors, self.cpus, self.name)

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed `texts` on the actor pool; row i is text i, as the in-process Encoder returns it."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        passes, pass_texts = text_passes(texts, self.batch_size)
        if not passes:
            return vectors
        items = [{"pass": i, "texts": pass_texts[i]} for i in range(len(passes))]
        blocks = -(-len(items) // PASSES_PER_BATCH)  # one block per actor call: all actors get work
        embedded = self.ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            EncoderActor,
            batch_size=PASSES_PER_BATCH,
            compute=self.ray.data.ActorPoolStrategy(size=self.actors),
            num_cpus=self.cpus,
            fn_constructor_kwargs={"options": self.options, "name": self.name},
        )
        with tqdm(total=len(texts), desc="embedding on Ray", unit="text", disable=not progress) as bar:
            for batch in embedded.iter_batches(batch_size=None, batch_format="numpy"):
                for number, blob in zip(batch["pass"], batch["vectors"], strict=True):
                    rows = passes[number]
                    vectors[rows] = np.frombuffer(blob, dtype=np.float32).reshape(len(rows), self.dim)
                    bar.update(len(rows))
        return vectors
