"""How the service embeds query texts: the sentence encoder, or the static encoder of the snapshot
the request is answered from (never a second look at the holder, which may have swapped since).

Either way a query is first cut to what the encoder reads (models.texts.query_text: a long
question's head and tail within the encoder's token limit); the keyword search reads all of it.
"""

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from models.snapshot import Snapshot
from models.texts import query_text
from store.settings import Settings


class Embedder(Protocol):
    """What the recommenders need of the sentence encoder: one query at a time, or a batch of texts."""

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


class QueryEmbedder(Protocol):
    """A query text's vector for ranking over `snapshot`."""

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray: ...


class ModelQueries:
    """Every query through the sentence encoder (~2 ms for a title, ~13 ms at its 256 word pieces)."""

    def __init__(self, encoder: Embedder, max_tokens: int) -> None:
        self.encoder, self.max_tokens = encoder, max_tokens

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray:
        """The model's unit vector for what it reads of `text` (`max_tokens` word pieces)."""
        return self.encoder.encode_query(query_text(text, self.max_tokens))


class StaticQueries:
    """Queries through the snapshot's static encoder, or through the model when most of their words
    are new to it."""

    def __init__(self, encoder: Embedder, max_tokens: int) -> None:
        self.encoder, self.max_tokens = encoder, max_tokens

    def embed_query(self, snapshot: Snapshot, text: str) -> np.ndarray:
        """The static encoder's unit vector for what the model reads of `text` (~0.1 ms), else the
        model's."""
        read = query_text(text, self.max_tokens)
        vector = snapshot.query_encoder.encode_query(read)
        return self.encoder.encode_query(read) if vector is None else vector


def query_embedder(settings: Settings, encoder: Embedder) -> QueryEmbedder:
    """StaticQueries over `encoder` when COPMATCH_QUERY_ENCODER=static, else ModelQueries; either
    cuts queries to COPMATCH_ENCODER_MAX_TOKENS, the word pieces the encoder reads."""
    kind = StaticQueries if settings.query_encoder == "static" else ModelQueries
    return kind(encoder, settings.encoder_max_tokens)
