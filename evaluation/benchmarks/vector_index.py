"""Benchmark of the vector index at 100k and 1M vectors: build time, memory, latency and recall.

Vectors are realistic, not random (random vectors are a known worst case for IVF): 12k real texts
(a sample of the ~20k question titles and 40-word passages of question bodies in the dev bundles,
fewer for time on 2 cores) are embedded, and larger collections are synthesized by adding small
Gaussian noise to those real embeddings and re-normalizing: each real text becomes a family of
close variants (cosine ≈ 0.9 to it), like paraphrases or replies sharing a thread's context.
Queries are the titles of held-out questions, so neither they nor copies of them are indexed.
Run: `python -m evaluation.benchmarks.vector_index` (about 15 minutes on 2 cores, 6 GB of memory).
"""

import json
import logging
import random
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from evaluation.data import BUNDLES
from models.encoder import Encoder
from models.vector_index import VectorIndex

SIZES = (100_000, 1_000_000)
PASSAGE_WORDS = 40
PASSAGES = 12_000
COPY_SIMILARITY = 0.9  # expected cosine between a synthetic vector and its real source
HELD_OUT = 500  # questions kept out of the index; their titles are the queries
LATENCY_QUERIES = {"flat": 100, "ivf": 500}  # single queries timed per index kind
K = 10
CHUNK = 100_000

log = logging.getLogger(__name__)


def read_contributions(bundle: Path) -> list[dict]:
    """The rows of a bundle's contributions.jsonl."""
    with open(bundle / "contributions.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def real_texts(data: Path, seed: int) -> tuple[list[str], list[str]]:
    """Passages to index (titles and body pieces of most questions) and held-out query titles."""
    questions = [
        row
        for bundle in ("dba", "history")
        for row in read_contributions(data / bundle)
        if row["kind"] == "question"
    ]
    random.Random(seed).shuffle(questions)
    passages = []
    for question in questions[HELD_OUT:]:
        words = question.get("body", "").split()
        passages.append(question["title"])
        passages += [" ".join(words[i : i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS)]
    random.Random(seed).shuffle(passages)
    return passages[:PASSAGES], [question["title"] for question in questions[:HELD_OUT]]


def synthesize(real: np.ndarray, n: int, similarity: float, rng: np.random.Generator) -> np.ndarray:
    """`real` followed by noisy unit copies of random real rows, n rows in all.

    Noise per dimension σ gives an expected cosine 1/√(1 + dim·σ²) to the source row; σ is solved
    for `similarity`.
    """
    dim = real.shape[1]
    sigma = np.sqrt((1 / similarity**2 - 1) / dim)
    vectors = np.empty((n, dim), dtype=np.float32)
    vectors[: len(real)] = real
    for start in range(len(real), n, CHUNK):  # in chunks: the noise would double the memory
        stop = min(start + CHUNK, n)
        block = real[rng.integers(0, len(real), stop - start)]
        block += sigma * rng.standard_normal(block.shape, dtype=np.float32)
        vectors[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return vectors


def latency_ms(index: VectorIndex, queries: np.ndarray) -> tuple[float, float]:
    """p50 and p99 wall time of single-query searches."""
    index.search(queries[:1], K)
    timings = []
    for query in queries:
        start = time.perf_counter()
        index.search(query[None, :], K)
        timings.append(1000 * (time.perf_counter() - start))
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 99))


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the exact top-k that the index returned."""
    pairs = zip(found.tolist(), truth.tolist(), strict=True)
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in pairs]))


def bench_size(vectors: np.ndarray, queries: np.ndarray) -> list[dict]:
    """Flat and IVF indexes over `vectors`: build time, bytes, latency, recall against flat."""
    rows, truth = [], None
    for kind, exact_max in (("flat", len(vectors)), ("ivf", 0)):
        start = time.perf_counter()
        index = VectorIndex.build(vectors, exact_max=exact_max, seed=0)
        built = time.perf_counter() - start
        ids = index.search(queries, K)[1]
        truth = ids if truth is None else truth
        p50, p99 = latency_ms(index, queries[: LATENCY_QUERIES[kind]])
        info = index.describe()
        rows.append(
            {
                "n": len(vectors),
                "index": kind if kind == "flat" else ivf_label(info),
                "build_s": built,
                "mb": info["bytes"] / 2**20,
                "p50": p50,
                "p99": p99,
                "recall": recall_at_k(ids, truth),
            }
        )
        log.info("%s", rows[-1])
        del index
    return rows


def ivf_label(info: dict) -> str:
    """E.g. "IVF4000,SQint8 nprobe 32": lists, codes and probes."""
    return f"IVF{info['nlist']},SQ{info['codes']} nprobe {info['nprobe']}"


def markdown(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| vectors | index | build s | memory MB | query p50 ms | query p99 ms | recall@10 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['index']} | {r['build_s']:.1f} | {r['mb']:.0f} | "
            f"{r['p50']:.2f} | {r['p99']:.2f} | {r['recall']:.3f} |"
        )
    return "\n".join(lines)


def main(
    data: Annotated[Path, typer.Option(help="folder holding the dba and history bundles")] = BUNDLES,
    seed: Annotated[int, typer.Option(help="seeds the held-out split and synthetic vectors")] = 0,
) -> None:
    """Embed real texts, synthesize 100k and 1M vectors, and print the index comparison."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not (data / "dba").is_dir():
        raise typer.BadParameter(f"no bundles under {data}")
    passages, titles = real_texts(data, seed)
    encoder = Encoder(path="onnx-int8")
    start = time.perf_counter()
    real = encoder.encode(passages, progress=True)
    queries = encoder.encode(titles)
    typer.echo(
        f"embedded {len(passages):,} passages + {len(titles)} query titles with {encoder.name} "
        f"in {time.perf_counter() - start:.0f} s"
    )
    rng = np.random.default_rng(seed)
    rows = []
    for n in SIZES:
        rows += bench_size(synthesize(real, n, COPY_SIMILARITY, rng), queries)
    typer.echo(markdown(rows))


if __name__ == "__main__":
    typer.run(main)
