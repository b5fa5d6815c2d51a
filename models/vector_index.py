"""Inner-product search over unit vectors: exact up to a size, IVF with 8-bit codes above it.

Row i of the vectors given to `VectorIndex.build` has id i. The IVF probe count is tuned at build
time so that recall@10 against exact search reaches `TARGET_RECALL` on a sample of the vectors,
each used as a query with its near-duplicates set aside (see `_tune_nprobe`).
"""

import logging
import math
import os
import time
from pathlib import Path
from typing import Any

import faiss
import numpy as np

log = logging.getLogger(__name__)

# the default threshold (128000) makes batched flat search 10x slower
faiss.cvar.distance_compute_blas_threshold = 20

TARGET_RECALL = 0.95
RECALL_AT = 10
TUNING_QUERIES = 1000
NEAR_DUPLICATE = 0.7  # cosine above which a vector counts as a copy or paraphrase of a query
TUNING_DEPTH = 400  # a tuning query with more near-duplicates than this is skipped
TRAIN_PER_LIST = 40  # k-means training points per inverted list (faiss wants >= 39)
QUANTIZER_LINKS = 32  # HNSW graph over the list centroids: 0.08 ms instead of 0.66 ms flat at 4k lists
QUANTIZER_EF = 64  # HNSW beam width when choosing lists (at least 2 · nprobe)
CODES = faiss.ScalarQuantizer.QT_8bit
CODE_NAMES = {faiss.ScalarQuantizer.QT_8bit: "int8", faiss.ScalarQuantizer.QT_fp16: "fp16"}
VECTORS_FILE = "c_embeddings.npy"  # an exact index is stored as its vectors (what builds reuse)
INDEX_FILE = "contributions.faiss"  # an IVF index as FAISS writes it


class VectorIndexError(Exception):
    """The vectors or queries do not fit the index."""


def _as_matrix(vectors: np.ndarray, name: str, dim: int | None = None) -> np.ndarray:
    """`vectors` as a C-contiguous float32 2-D array, checked against the expected width."""
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or (dim is not None and matrix.shape[1] != dim):
        want = f"(n, {dim})" if dim is not None else "(n, dim)"
        raise VectorIndexError(f"{name} must have shape {want}, got {matrix.shape}")
    return matrix


def ivf_lists(n: int) -> int:
    """Number of inverted lists for n vectors: min(4·√n, n/39), so every list gets trained."""
    return max(1, int(min(4 * math.sqrt(n), n / 39)))


def _threads_for(n_queries: int) -> int:
    """One thread for a single query (the service runs them concurrently); all cores for batches."""
    return 1 if n_queries == 1 else os.cpu_count() or 1


def _set_nprobe(index: faiss.IndexIVF, nprobe: int) -> None:
    """Probe `nprobe` lists, with the centroid graph searching wide enough to find them."""
    index.nprobe = nprobe
    quantizer = faiss.downcast_index(index.quantizer)
    assert isinstance(quantizer, faiss.IndexHNSW)  # built so by `build`
    quantizer.hnsw.efSearch = max(QUANTIZER_EF, 2 * nprobe)


def _tune_nprobe(index: faiss.IndexIVF, vectors: np.ndarray, rng: np.random.Generator) -> float:
    """Set the smallest power-of-two nprobe whose recall@10 reaches the target; return that recall.

    The queries are sampled vectors. A real query is not in the index, and neither are copies of
    it, so each query's near-duplicates (itself, repeated thread context, paraphrases) are left out
    of both result lists: they share its inverted list and would flatter the recall.
    """
    rows = rng.choice(len(vectors), size=min(TUNING_QUERIES, len(vectors)), replace=False)
    queries = vectors[rows]
    faiss.omp_set_num_threads(_threads_for(len(queries)))
    depth = min(TUNING_DEPTH, len(vectors))
    scores, exact = faiss.knn(queries, vectors, depth, metric=faiss.METRIC_INNER_PRODUCT)
    usable = scores[:, -1] <= NEAR_DUPLICATE if depth == TUNING_DEPTH else np.ones(len(rows), bool)
    if not usable.any():
        _set_nprobe(index, index.nlist)
        log.warning("every tuning query has over %d near-duplicates: probing all lists", depth)
        return 1.0
    copies = [set(ids[s > NEAR_DUPLICATE].tolist()) for s, ids in zip(scores, exact, strict=True)]
    copies = [c for c, keep in zip(copies, usable, strict=True) if keep]
    queries = queries[usable]
    truth = _without(exact[usable], copies)
    while True:
        recall = _recall(_without(index.search(queries, depth)[1], copies), truth)
        if recall >= TARGET_RECALL or index.nprobe >= index.nlist:
            return recall
        _set_nprobe(index, min(2 * index.nprobe, index.nlist))


def _recall(found: list[list[int]], truth: list[list[int]]) -> float:
    """Mean share of each row of `truth` present in the same row of `found`."""
    pairs = zip(found, truth, strict=True)
    return float(np.mean([len(set(f) & set(t)) / len(t) if t else 1.0 for f, t in pairs]))


def _without(ids: np.ndarray, excluded: list[set[int]]) -> list[list[int]]:
    """The first RECALL_AT ids of each row, skipping that row's excluded ids and -1 padding."""
    pairs = zip(ids.tolist(), excluded, strict=True)
    return [[i for i in row if i >= 0 and i not in skip][:RECALL_AT] for row, skip in pairs]


class VectorIndex:
    """A FAISS inner-product index whose ids are the rows of the vectors it was built from."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, exact_max: int = 200_000, seed: int = 0) -> "VectorIndex":
        """Index `vectors` (unit rows); exact while there are at most `exact_max` of them.

        Args:
            vectors: (n, dim) float32, row i gets id i.
            exact_max: above this many vectors an IVF index with 8-bit codes is built.
            seed: seeds the k-means training sample and the probe-tuning queries.
        Returns:
            The index, ready to search.
        """
        vectors = _as_matrix(vectors, "vectors")
        n, dim = vectors.shape
        if n <= exact_max:
            flat = faiss.IndexFlatIP(dim)
            flat.add(vectors)
            return cls(flat)
        started = time.perf_counter()
        rng = np.random.default_rng(seed)
        nlist = ivf_lists(n)
        quantizer = faiss.IndexHNSWFlat(dim, QUANTIZER_LINKS, faiss.METRIC_INNER_PRODUCT)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, CODES, faiss.METRIC_INNER_PRODUCT)
        index.clustering_index = faiss.IndexFlatIP(dim)  # k-means assigns exactly; HNSW only serves
        index.cp.seed = seed
        sample = rng.choice(n, size=min(n, TRAIN_PER_LIST * nlist), replace=False)
        faiss.omp_set_num_threads(_threads_for(n))
        index.train(vectors[np.sort(sample)])
        index.add(vectors)
        _set_nprobe(index, 1)
        recall = _tune_nprobe(index, vectors, rng)
        log.info(
            "IVF index: %d vectors, %d lists, nprobe %d (recall@%d %.3f), built in %.0f s",
            n,
            nlist,
            index.nprobe,
            RECALL_AT,
            recall,
            time.perf_counter() - started,
        )
        return cls(index)

    @property
    def ntotal(self) -> int:
        """Number of indexed vectors."""
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        """Either "flat" (exact) or "ivf" (inverted lists with 8-bit codes)."""
        return "ivf" if isinstance(self.index, faiss.IndexIVF) else "flat"

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best rows for each query by inner product, best first.

        Args:
            queries: (q, dim) float32 unit vectors.
            k: results per query; where fewer exist, ids are -1 and scores -inf.
            allowed: bool per row, only True rows are returned (None: every row).
        Returns:
            (scores, ids), each of shape (q, k).
        """
        queries = _as_matrix(queries, "queries", self.index.d)
        faiss.omp_set_num_threads(_threads_for(len(queries)))
        if allowed is None:
            scores, ids = self.index.search(queries, k)
        else:
            scores, ids = self._search_among(queries, k, allowed)
        scores[ids < 0] = -np.inf
        return scores, ids

    def _search_among(
        self, queries: np.ndarray, k: int, allowed: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Search restricted to the allowed rows by a FAISS bitmap selector (probes kept for IVF)."""
        bits = np.packbits(np.asarray(allowed, dtype=bool), bitorder="little")
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if isinstance(self.index, faiss.IndexIVF):
            ivf = faiss.SearchParametersIVF()
            ivf.nprobe = self.index.nprobe
            params: faiss.SearchParameters = ivf
        else:
            params = faiss.SearchParameters()
        params.sel = selector  # `selector` outlives the search: it is referenced until we return
        return self.index.search(queries, k, params=params)

    def save(self, directory: Path) -> None:
        """Write the index into `directory`: an exact one as its vectors (VECTORS_FILE, so a version
        stores them once), an IVF one (probe count included) as INDEX_FILE."""
        if self.kind == "flat":
            np.save(directory / VECTORS_FILE, self.index.reconstruct_n(0, self.ntotal))
        else:
            faiss.write_index(self.index, str(directory / INDEX_FILE))

    @classmethod
    def load(cls, directory: Path) -> "VectorIndex":
        """Read an index written by `save` into memory (a memory map faults on each list's first probe)."""
        if (directory / INDEX_FILE).is_file():
            return cls(faiss.read_index(str(directory / INDEX_FILE)))
        vectors = _as_matrix(np.load(directory / VECTORS_FILE, mmap_mode="r"), "vectors")
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        return cls(index)

    def describe(self) -> dict[str, Any]:
        """Type, lists, probes, code size and bytes of the index, for the build manifest."""
        info: dict[str, Any] = {"type": self.kind, "ntotal": self.ntotal, "dim": int(self.index.d)}
        if isinstance(self.index, faiss.IndexIVFScalarQuantizer):
            info |= {
                "nlist": int(self.index.nlist),
                "nprobe": int(self.index.nprobe),
                "codes": CODE_NAMES.get(self.index.sq.qtype, str(self.index.sq.qtype)),
                "code_size": int(self.index.code_size),
            }
        else:
            info["code_size"] = 4 * int(self.index.d)
        info["bytes"] = _footprint(self.index)
        return info


def _footprint(index: faiss.Index) -> int:
    """Bytes the index holds: codes, plus ids and centroids for IVF."""
    if isinstance(index, faiss.IndexIVF):
        return index.ntotal * (index.code_size + 8) + index.nlist * index.d * 4
    return index.ntotal * index.d * 4
