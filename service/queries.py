"""How the service embeds query texts: the sentence encoder, or the static encoder of the snapshot
the request is answered from (never a second look at the holder, which may have swapped since)."""

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from models.snapshot import Snapshot
from store.settings import Settings


class Embedder(Protocol):
    """What the recommenders need of the sentence encoder: one query at a time, or a batch of texts."""

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class QueryEmbedder(Protocol):
    """A query text's vector for ranking over `snapshot`."""

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray: ...


class ModelQueries:
    """Every query through the sentence encoder (~5 ms)."""

    def __init__(self, encoder: Embedder) -> None:
        self.encoder = encoder

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray:
        """The model's unit vector for `text`."""
        return self.encoder.encode_query(text)


class StaticQueries:
    """Queries through the snapshot's static encoder, or through the model when most of their words
    are new to it."""

    def __init__(self, encoder: Embedder) -> None:
        self.encoder = encoder

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray:
        """The static encoder's unit vector for `text` (~0.05 ms), else the model's (~5 ms)."""
        vector = snapshot.query_encoder.encode_query(text)
        return self.encoder.encode_query(text) if vector is None else vector


def query_embedder(settings: Settings, encoder: Embedder) -> QueryEmbedder:
    """StaticQueries over `encoder` when COPMATCH_QUERY_ENCODER=static, else ModelQueries."""
    return StaticQueries(encoder) if settings.query_encoder == "static" else ModelQueries(encoder)
