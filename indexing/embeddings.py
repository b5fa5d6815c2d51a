"""Embed texts, reusing the vectors a previous version computed for the very same text and model."""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)


class TextEncoder(Protocol):
    """What indexing needs of models.encoder.Encoder."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def content_hash(text: str, encoder_name: str) -> str:
    """sha256 of the embedded text and the encoder: a new model never reuses an old vector."""
    return hashlib.sha256(f"{encoder_name}\0{text}".encode()).hexdigest()


@dataclass
class EmbeddingTable:
    """Vectors by content hash, as a previous version stored them (row i has hash i)."""

    hashes: Sequence[str]
    vectors: np.ndarray

    def row_of(self) -> dict[str, int]:
        """Content hash -> row; empty hashes (texts that were not embedded) are left out."""
        return {h: row for row, h in enumerate(self.hashes) if h}


@dataclass
class EmbedCounts:
    """Texts that went through the encoder, and vectors copied from the previous version."""

    embedded: int = 0
    reused: int = 0


def embed_reusing(
    texts: Sequence[str],
    hashes: Sequence[str],
    previous: EmbeddingTable | None,
    encoder: TextEncoder,
    counts: EmbedCounts,
    label: str,
    progress: bool = False,
) -> np.ndarray:
    """Vectors for `texts`: copied from `previous` where the hash matches, embedded otherwise.

    Args:
        texts: the texts, with an empty hash where there is nothing to embed (a zero row).
        hashes: content_hash of each text, or "".
        previous: the previous version's vectors, or None to embed everything.
        encoder: embeds what cannot be reused, all in one call (one job where it is distributed);
            identical new texts are embedded once.
        counts: incremented by what was embedded and reused.
        label: names the progress bar.
        progress: let the encoder show its progress bar.
    Returns:
        float32 array (len(texts), encoder.dim).
    """
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    old = previous.row_of() if previous is not None else {}
    reuse = [(row, old[h]) for row, h in enumerate(hashes) if h in old]
    if reuse and previous is not None:  # only a previous version offers anything to reuse
        new_rows, old_rows = map(np.array, zip(*reuse, strict=True))
        order = np.argsort(old_rows)  # read the (memory-mapped) old vectors in file order
        vectors[new_rows[order]] = previous.vectors[old_rows[order]]
    counts.reused += len(reuse)
    missing: dict[str, list[int]] = {}
    for row, h in enumerate(hashes):
        if h and h not in old:
            missing.setdefault(h, []).append(row)
    unique = list(missing.values())
    if unique:
        log.info("%s: embedding %d texts", label, len(unique))
        encoded = encoder.encode([texts[group[0]] for group in unique], progress=progress)
        for group, vector in zip(unique, encoded, strict=True):
            vectors[group] = vector
    counts.embedded += len(unique)
    log.debug("%s: embedded %d texts, reused %d vectors", label, len(unique), len(reuse))
    return vectors
