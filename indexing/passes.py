"""The rule every executor that embeds outside the job's own Encoder follows (worker processes, Ray).

The driver cuts the texts into the encoder's own forward passes (`length_batches`, as in-process), a
worker embeds whole passes with an Encoder made from the same options and refuses to run under
another name than the build's, and each pass's vectors go back to its rows: a text's vector does not
depend on where it ran.
"""

from collections.abc import Sequence

import numpy as np

from models.encoder import Encoder, EncoderError, length_batches


def text_passes(texts: Sequence[str], batch_size: int) -> tuple[list[np.ndarray], list[list[str]]]:
    """The row numbers of each forward pass, and the texts of each."""
    passes = length_batches(texts, batch_size)
    return passes, [[texts[row] for row in rows] for rows in passes]


def worker_encoder(options: dict, name: str) -> Encoder:
    """A worker's Encoder from `options`; an error where it would embed under another name than `name`
    (another path or token limit in force on this machine)."""
    encoder = Encoder(**options)
    if encoder.name != name:
        raise EncoderError(f"this worker embeds with {encoder.name}, the build with {name}")
    return encoder


def embed_passes(encoder: Encoder, passes: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Each pass's unit vectors, one forward pass each."""
    return [encoder.encode(list(texts)) for texts in passes]
