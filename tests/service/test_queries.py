"""A query is embedded as what the encoder reads of it (its head and tail within the token limit),
by the model and by the snapshot's static encoder alike."""

from collections.abc import Sequence
from types import SimpleNamespace

import numpy as np

from models.query_encoder import StaticQueryEncoder
from models.texts import query_text
from service.queries import ModelQueries, StaticQueries, query_embedder
from store.settings import Settings

HEAD = "postgres vacuum stuck on a large table " * 20
MIDDLE = "printer toner cartridge paper jam " * 200
TAIL = "error replication slot lag"
LONG = f"{HEAD}\n{MIDDLE}\n{TAIL}"


class RecordingModel:
    """The sentence encoder's stand-in: a vector per text length, each text it embedded kept."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return np.stack([self.encode_query(text) for text in texts])

    def encode_query(self, text: str) -> np.ndarray:
        self.read.append(text)
        vector = np.random.default_rng(len(text)).standard_normal(8).astype(np.float32)
        return vector / np.linalg.norm(vector)


def _snapshot() -> SimpleNamespace:
    texts = [HEAD, MIDDLE, TAIL, "vacuum replication", "toner jam"]
    vectors = RecordingModel().encode(texts)
    return SimpleNamespace(query_encoder=StaticQueryEncoder.fit(texts, vectors))


def test_the_model_reads_a_long_query_cut_to_its_token_limit() -> None:
    for max_tokens in (256, 128):
        model = RecordingModel()
        vector = ModelQueries(model, max_tokens).embed_query(_snapshot(), LONG)  # type: ignore[arg-type]
        cut = query_text(LONG, max_tokens)
        assert model.read == [cut] and cut.endswith(TAIL) and len(cut) < len(LONG)
        assert np.array_equal(vector, model.encode_query(cut))
    assert len(query_text(LONG, 128)) < len(query_text(LONG, 256))


def test_the_static_encoder_reads_the_same_cut_and_not_the_middle() -> None:
    snapshot, model = _snapshot(), RecordingModel()
    vector = StaticQueries(model, 256).embed_query(snapshot, LONG)  # type: ignore[arg-type]
    assert model.read == []  # every word is known: no model
    cut = snapshot.query_encoder.encode_query(query_text(LONG, 256))
    assert np.array_equal(vector, cut)
    assert not np.allclose(vector, snapshot.query_encoder.encode_query(LONG))  # the middle would weigh
    short = "vacuum stuck"
    queries = StaticQueries(model, 256)  # type: ignore[arg-type]
    assert np.array_equal(queries.embed_query(snapshot, short), snapshot.query_encoder.encode_query(short))


def test_the_setting_names_the_cut() -> None:
    settings = Settings(encoder_max_tokens=128, _env_file=None)  # type: ignore[call-arg]
    model = RecordingModel()
    embedder = query_embedder(settings.model_copy(update={"query_encoder": "model"}), model)
    embedder.embed_query(_snapshot(), LONG)  # type: ignore[arg-type]
    assert model.read == [query_text(LONG, 128)]
