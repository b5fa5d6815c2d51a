"""Exact and IVF search over clustered unit vectors: correctness, recall, persistence, padding."""

import numpy as np
import pytest

from models.vector_index import VectorIndex, VectorIndexError, ivf_lists

DIM = 64


def clustered(n: int, seed: int, centers: int = 300) -> np.ndarray:
    """Unit vectors scattered around random centres, like embeddings of topical texts."""
    rng = np.random.default_rng(seed)
    middles = np.random.default_rng(0).normal(size=(centers, DIM))
    x = middles[rng.integers(0, centers, n)] + 0.35 * rng.normal(size=(n, DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def brute_force(vectors: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = queries @ vectors.T
    ids = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, ids, axis=1), ids


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return clustered(20_000, seed=1)


@pytest.fixture(scope="module")
def queries() -> np.ndarray:
    return clustered(300, seed=2)  # not in the index, drawn from the same clusters


@pytest.fixture(scope="module")
def ivf(vectors: np.ndarray) -> VectorIndex:
    return VectorIndex.build(vectors, exact_max=1_000, seed=0)


def test_flat_search_equals_brute_force(vectors: np.ndarray, queries: np.ndarray) -> None:
    index = VectorIndex.build(vectors[:3_000])
    scores, ids = index.search(queries, 10)
    want_scores, want_ids = brute_force(vectors[:3_000], queries, 10)
    assert index.kind == "flat" and index.ntotal == 3_000
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_allclose(scores, want_scores, atol=1e-5)


def test_ivf_reaches_the_recall_target_on_new_queries(
    ivf: VectorIndex, vectors: np.ndarray, queries: np.ndarray
) -> None:
    _, ids = ivf.search(queries, 10)
    _, truth = brute_force(vectors, queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids, truth, strict=True)])
    assert ivf.kind == "ivf" and ivf.ntotal == 20_000
    assert recall >= 0.95


def test_ivf_probes_only_part_of_its_lists(ivf: VectorIndex) -> None:
    info = ivf.describe()
    assert info["nlist"] == ivf_lists(20_000) and 1 <= info["nprobe"] < info["nlist"]
    assert info["codes"] == "int8" and info["code_size"] == DIM
    assert info["bytes"] < 20_000 * DIM * 4 / 2


def test_list_count_follows_the_square_root_rule() -> None:
    assert ivf_lists(1_000_000) == 4_000
    assert ivf_lists(10_000) == 256  # n/39 caps small collections
    assert ivf_lists(5) == 1


def test_save_and_load_return_the_same_results(
    ivf: VectorIndex, vectors: np.ndarray, queries: np.ndarray, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    for name, index in {"flat": VectorIndex.build(vectors[:2_000]), "ivf": ivf}.items():
        (tmp_path / name).mkdir()
        index.save(tmp_path / name)
        loaded = VectorIndex.load(tmp_path / name)
        assert loaded.kind == name and loaded.describe() == index.describe()
        for got, want in zip(loaded.search(queries, 10), index.search(queries, 10), strict=True):
            np.testing.assert_array_equal(got, want)


def test_single_query_gives_the_same_answer_as_a_batch(ivf: VectorIndex, queries: np.ndarray) -> None:
    _, batch = ivf.search(queries[:5], 10)
    for i in range(5):
        np.testing.assert_array_equal(ivf.search(queries[i : i + 1], 10)[1][0], batch[i])


def test_k_beyond_the_collection_pads_with_minus_one(vectors: np.ndarray) -> None:
    scores, ids = VectorIndex.build(vectors[:3]).search(vectors[:2], 5)
    assert ids.shape == (2, 5) and ids[0, 0] == 0 and ids[1, 0] == 1
    assert (ids[:, 3:] == -1).all() and np.isneginf(scores[:, 3:]).all()
    assert (ids[:, :3] >= 0).all() and np.isfinite(scores[:, :3]).all()


def test_empty_index_finds_nothing() -> None:
    scores, ids = VectorIndex.build(np.zeros((0, DIM), np.float32)).search(clustered(1, 3), 4)
    assert (ids == -1).all() and np.isneginf(scores).all()


def test_queries_of_the_wrong_width_are_rejected(vectors: np.ndarray) -> None:
    with pytest.raises(VectorIndexError, match=r"queries must have shape \(n, 64\), got \(1, 8\)"):
        VectorIndex.build(vectors[:10]).search(np.ones((1, 8), np.float32), 3)


def test_copies_of_a_query_do_not_count_when_tuning_probes(caplog) -> None:  # type: ignore[no-untyped-def]
    families = np.repeat(clustered(40, seed=4), 450, axis=0)  # every row has 449 identical copies
    with caplog.at_level("WARNING", logger="models.vector_index"):
        index = VectorIndex.build(families, exact_max=100)
    info = index.describe()
    assert info["nprobe"] == info["nlist"] and "near-duplicates" in caplog.text


def test_search_among_allowed_rows_matches_brute_force_over_them(
    vectors: np.ndarray, queries: np.ndarray, ivf: VectorIndex
) -> None:
    allowed = np.random.default_rng(3).random(len(vectors)) < 0.3
    kept = np.flatnonzero(allowed)
    _, expected = brute_force(vectors[kept], queries[:20], 10)
    _, ids = VectorIndex.build(vectors).search(queries[:20], 10, allowed=allowed)
    assert (ids == kept[expected]).all()
    _, probed = ivf.search(queries[:20], 10, allowed=allowed)
    assert allowed[probed[probed >= 0]].all()
    recall = np.mean([len(set(p) & set(e)) / 10 for p, e in zip(probed, kept[expected], strict=True)])
    assert recall > 0.8  # the probe count stays as tuned, not 1
