"""The builder's pure parts: snippets, reuse by hash, community vectors."""

import numpy as np

from indexing.build import community_vectors, snippet
from indexing.embeddings import EmbedCounts, EmbeddingTable, content_hash, embed_reusing
from models.hierarchy import ancestors
from tests.indexing.fakes import FakeEncoder


def test_snippet_cuts_at_a_word_and_falls_back_to_the_question():
    long = "word " * 100
    cut = snippet(long)
    assert len(cut) <= 301 and cut.endswith("word…")
    assert snippet("", "the question\n body") == "the question body"
    assert snippet("own text", "question") == "own text"


def test_content_hash_depends_on_the_encoder():
    assert content_hash("text", "a/bf16") != content_hash("text", "b/bf16")
    assert content_hash("text", "a/bf16") == content_hash("text", "a/bf16")


def test_embed_reusing_copies_known_hashes_and_embeds_new_texts_once():
    encoder = FakeEncoder()
    texts = ["old", "new", "new", ""]
    hashes = [content_hash(t, encoder.name) if t else "" for t in texts]
    old_vector = np.full(encoder.dim, 0.25, dtype=np.float32)
    previous = EmbeddingTable([hashes[0]], old_vector[None, :])
    counts = EmbedCounts()

    vectors = embed_reusing(texts, hashes, previous, encoder, counts, "test")

    assert encoder.embedded == ["new"]
    assert (counts.embedded, counts.reused) == (1, 1)
    assert np.array_equal(vectors[0], old_vector)
    assert np.array_equal(vectors[1], vectors[2]) and np.array_equal(vectors[1], encoder.encode(["new"])[0])
    assert not vectors[3].any()


def test_community_vector_mixes_its_and_sub_community_contributions_with_its_text():
    contributions = np.eye(3, dtype=np.float32)
    community = np.array([0, 1, -1])  # row 0 in the parent, row 1 in the child, row 2 nowhere
    text = np.array([[0, 0, 1], [0, 1, 0]], dtype=np.float32)
    chains = ancestors([-1, 0])

    vectors = community_vectors(contributions, community, text, chains)

    parent = np.array([0.5, 0.5, 1.0]) / np.linalg.norm([0.5, 0.5, 1.0])
    assert np.allclose(vectors[0], parent)
    assert np.allclose(vectors[1], [0, 1, 0])  # its one contribution and its text agree


def test_ancestors_stop_at_cycles():
    assert ancestors([-1, 0, 1]) == [[], [0], [1, 0]]
    assert ancestors([1, 0]) == [[1], [0]]
