"""The static query encoder: a ridge fit from bags of words onto sentence vectors."""

import numpy as np
import pytest

from models import query_encoder
from models.query_encoder import StaticQueryEncoder

WORDS = ["kafka", "schema", "postgres", "vacuum", "kubernetes", "helm", "oracle", "tablespace"]


def _corpus(n: int = 400, seed: int = 0) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts of random words; each text's "sentence vector" is the mean of its words' directions."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(len(WORDS), 16)).astype(np.float32)
    texts, vectors = [], []
    for _ in range(n):
        chosen = rng.choice(len(WORDS), size=3, replace=False)
        texts.append(" ".join(WORDS[i] for i in chosen))
        vector = directions[chosen].mean(axis=0)
        vectors.append(vector / np.linalg.norm(vector))
    return texts, np.stack(vectors), directions


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


def test_query_lands_near_the_sentence_vector_of_its_words() -> None:
    texts, vectors, directions = _corpus()
    encoder = StaticQueryEncoder.fit(texts, vectors)
    query = encoder.encode_query("Kafka schema, on Helm?")
    expected = _unit(directions[[0, 1, 5]].mean(axis=0))
    assert query.shape == (16,) and query.dtype == np.float32
    assert abs(float(np.linalg.norm(query)) - 1) < 1e-5
    assert float(query @ expected) > 0.95
    assert float(query @ _unit(directions[[2, 3, 6]].mean(axis=0))) < 0.8


def test_unknown_words_are_skipped_and_mostly_unknown_queries_left_to_the_model() -> None:
    texts, vectors, _ = _corpus()
    encoder = StaticQueryEncoder.fit(texts, vectors)
    assert np.allclose(encoder.encode_query("kafka zzz"), encoder.encode_query("kafka"), atol=1e-6)
    assert encoder.encode_query("kafka zzz yyy") is None
    assert encoder.encode_query("zzz unheard-of words") is None
    assert encoder.encode_query("the of and") is None


def test_save_and_load_give_the_same_vectors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    texts, vectors, _ = _corpus()
    encoder = StaticQueryEncoder.fit(texts, vectors)
    encoder.save(tmp_path)
    loaded = StaticQueryEncoder.load(tmp_path)
    for text in ["vacuum on postgres", "oracle tablespace helm", "kafka"]:
        assert np.array_equal(loaded.encode_query(text), encoder.encode_query(text))


def test_the_word_table_is_float16_on_disk_and_still_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    texts, vectors, directions = _corpus()
    StaticQueryEncoder.fit(texts, vectors).save(tmp_path)
    with np.load(tmp_path / query_encoder.WEIGHTS_FILE) as saved:
        assert saved["table"].dtype == np.float16
    query = StaticQueryEncoder.load(tmp_path).encode_query("Kafka schema, on Helm?")
    assert query.dtype == np.float32 and abs(float(np.linalg.norm(query)) - 1) < 1e-5
    assert float(query @ _unit(directions[[0, 1, 5]].mean(axis=0))) > 0.95


def test_large_corpora_are_fitted_on_a_sample(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts, vectors, directions = _corpus(n=2000)
    texts = [f"{text} t{i}" for i, text in enumerate(texts)]  # all distinct
    monkeypatch.setattr(query_encoder, "MAX_TEXTS", 300)
    encoder = StaticQueryEncoder.fit(texts, vectors)
    assert 300 <= len(encoder.vocabulary) < 300 + len(WORDS) + 1
    assert float(encoder.encode_query("kafka schema helm") @ _unit(directions[[0, 1, 5]].mean(0))) > 0.9


def test_blank_texts_only_cannot_be_fitted() -> None:
    with pytest.raises(ValueError, match="no text"):
        StaticQueryEncoder.fit(["", "  "], np.zeros((2, 4), np.float32))
