"""Benchmark of the encoder paths: texts/s against plain fp32, agreement with it, and quality.

Each variant (path, token limit, processes x threads) embeds the same texts, the questions of one
dev bundle: texts/s is their count over the wall time of embedding them (the model loaded and
warmed up before), agreement is the mean share of each text's 10 nearest neighbours that fp32 at
256 tokens (plain sentence-transformers, the reference) also finds, and quality is the spec's
"MiniLM voting" baseline MRR (../shared/spec/evaluation.md) with those vectors. Processes split the
forward passes between them (multiprocessing, one encoder each). bf16 runs only where the CPU has
native bfloat16. Run: `python -m evaluation.benchmarks.encoder` (about 15 minutes on 2 cores).
Prints a Markdown table and the fastest variant within 1% of the reference's MRR.
"""

import json
import logging
import multiprocessing
import os
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, NamedTuple

import numpy as np
import typer

from evaluation.data import BUNDLES
from models import encoder as encoder_module
from models.encoder import Encoder, length_batches
from models.encoder_path import EncoderPath
from models.texts import contribution_text

VOTERS = 100  # most similar earlier questions that vote for their answerers
NEIGHBOURS = 10  # agreement: overlap of each text's nearest neighbours with the reference's
MRR_TOLERANCE = 0.01  # a variant may lose at most 1% of the reference's MRR
BATCH_SIZE = 32

log = logging.getLogger(__name__)


@dataclass
class VotingSplit:
    """One bundle under the spec's time split: train questions vote for their answerers."""

    bundle: str
    texts: list[str]  # train questions, then kept test questions
    n_train: int
    voters: list[list[tuple[str, float]]]  # per train question: (answerer, 2 if accepted else 1)
    askers: list[str]  # per kept test question
    experts: list[str]  # per kept test question: the accepted answer's author
    dropped: int


def read_contributions(bundle: Path) -> list[dict]:
    """The rows of a bundle's contributions.jsonl."""
    with open(bundle / "contributions.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def time_split(bundle: str, rows: list[dict]) -> VotingSplit:
    """Last 10% of questions (by created_at, id) are tests; only what precedes them is known."""
    when = {r["id"]: datetime.fromisoformat(r["created_at"]) for r in rows}
    questions = sorted((r for r in rows if r["kind"] == "question"), key=lambda r: (when[r["id"]], r["id"]))
    tests = questions[-max(1, len(questions) // 10) :]
    cutoff = when[tests[0]["id"]]
    answers = defaultdict(list)
    for r in rows:
        if r["kind"] == "answer":
            answers[r["parent_id"]].append(r)
    known = {a["author_id"] for r in answers.values() for a in r if when[a["id"]] < cutoff}
    train = [q for q in questions if when[q["id"]] < cutoff]
    voters = [
        [
            (a["author_id"], 2.0 if a.get("accepted") else 1.0)
            for a in answers[q["id"]]
            if when[a["id"]] < cutoff
        ]
        for q in train
    ]
    kept, experts = [], []
    for q in tests:
        accepted = [a["author_id"] for a in answers[q["id"]] if a.get("accepted")]
        if accepted and accepted[0] in known:
            kept.append(q)
            experts.append(accepted[0])
    return VotingSplit(
        bundle=bundle,
        texts=[contribution_text("question", q["title"], q.get("body", "")) for q in train + kept],
        n_train=len(train),
        voters=voters,
        askers=[q["author_id"] for q in kept],
        experts=experts,
        dropped=len(tests) - len(kept),
    )


def voting_mrr(split: VotingSplit, vectors: np.ndarray) -> float:
    """MRR of the accepted answerer when members are ranked by votes of similar earlier questions.

    Args:
        split: the bundle's time split.
        vectors: unit embeddings of `split.texts`, row for row.
    Returns:
        Mean reciprocal rank (0 for a test question whose expert got no vote).
    """
    train, test = vectors[: split.n_train], vectors[split.n_train :]
    similarity = test @ train.T
    depth = min(VOTERS, split.n_train)
    ranks = []
    for i, row in enumerate(similarity):
        scores: dict[str, float] = defaultdict(float)
        for j in np.argpartition(-row, depth - 1)[:depth]:
            for member, weight in split.voters[j]:
                scores[member] += weight * float(row[j])
        scores.pop(split.askers[i], None)
        expert = split.experts[i]
        better = sum(score > scores[expert] for score in scores.values()) if expert in scores else None
        ranks.append(0.0 if better is None else 1.0 / (better + 1))
    return float(np.mean(ranks))


class Variant(NamedTuple):
    """One way to embed: inference path, word pieces read, processes and threads in each."""

    path: EncoderPath
    max_tokens: int
    processes: int
    threads: int

    @property
    def label(self) -> str:
        """E.g. `onnx-int8, 128 tokens, 2 x 1 thread`."""
        return f"{self.path}, {self.max_tokens} tokens, {self.processes} x {self.threads} thread"


REFERENCE = Variant("fp32", 256, 1, 2)  # plain sentence-transformers as the model ships
VARIANTS = [
    REFERENCE,
    Variant("fp32", 128, 1, 2),
    Variant("bf16", 256, 1, 2),
    Variant("bf16", 128, 1, 2),
    Variant("bf16", 128, 2, 1),
    Variant("onnx-int8", 256, 1, 2),
    Variant("onnx-int8", 256, 2, 1),
    Variant("onnx-int8", 128, 1, 2),
    Variant("onnx-int8", 128, 2, 1),
]

_worker: Encoder | None = None  # the encoder of a pool process


def _load_worker(variant: Variant, cache_dir: Path) -> None:
    """Pool initializer: this process's encoder, warmed up by one pass."""
    global _worker
    _worker = Encoder(
        path=variant.path,
        batch_size=BATCH_SIZE,
        threads=variant.threads,
        cache_dir=cache_dir,
        max_tokens=variant.max_tokens,
    )
    _worker.encode(["a warm-up text"] * BATCH_SIZE)


def _embed_share(texts: list[str]) -> np.ndarray:
    """Pool task: this process's share of the texts, embedded."""
    assert _worker is not None
    return _worker.encode(texts)


def embed_timed(variant: Variant, texts: list[str], cache_dir: Path) -> tuple[np.ndarray, float]:
    """Unit vectors of `texts` by `variant`, and texts/s from the first pass to the last.

    The forward passes (longest first) are dealt out round-robin, so each process gets an
    equal share of long and short texts.
    """
    batches = length_batches(texts, BATCH_SIZE)
    shares = [np.concatenate(batches[p :: variant.processes]) for p in range(variant.processes)]
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(variant.processes, _load_worker, (variant, cache_dir)) as pool:
        pool.map(_embed_share, [["warm"]] * variant.processes)
        start = time.perf_counter()
        parts = pool.map(_embed_share, [[texts[i] for i in share] for share in shares], chunksize=1)
        seconds = time.perf_counter() - start
    vectors = np.zeros((len(texts), parts[0].shape[1]), dtype=np.float32)
    for share, part in zip(shares, parts, strict=True):
        vectors[share] = part
    return vectors, len(texts) / seconds


def neighbour_agreement(vectors: np.ndarray, reference: np.ndarray) -> float:
    """Mean share of each row's NEIGHBOURS nearest other rows that the reference also ranks there."""

    def nearest(v: np.ndarray) -> np.ndarray:
        similarity = v @ v.T
        np.fill_diagonal(similarity, -np.inf)
        return np.argpartition(-similarity, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]

    ours, theirs = nearest(vectors), nearest(reference)
    return float(np.mean([len(set(a) & set(b)) / NEIGHBOURS for a, b in zip(ours, theirs, strict=True)]))


def bench(variants: list[Variant], split: VotingSplit, cache_dir: Path) -> list[dict]:
    """Each runnable variant's texts/s, agreement with the reference and voting MRR on `split`."""
    results, reference = [], None
    for variant in variants:
        if variant.path == "bf16" and not encoder_module._bf16_supported():
            results.append({"variant": variant, "unavailable": "no native bfloat16 on this CPU"})
            continue
        vectors, per_second = embed_timed(variant, split.texts, cache_dir)
        reference = vectors if reference is None else reference
        results.append(
            {
                "variant": variant,
                "texts_per_s": per_second,
                "agreement": neighbour_agreement(vectors, reference),
                "mrr": voting_mrr(split, vectors),
            }
        )
        log.warning("%s: %.1f texts/s", variant.label, per_second)
    return results


def markdown(results: list[dict], split: VotingSplit) -> str:
    """The results as a Markdown table, texts/s and MRR relative to the reference."""
    base = results[0]
    lines = [
        f"| variant | texts/s | x fp32 | top-{NEIGHBOURS} agreement | MRR {split.bundle} "
        f"({len(split.experts)} test questions) |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        if "unavailable" in r:
            lines.append(f"| {r['variant'].label} | {r['unavailable']} | | | |")
            continue
        ratio = r["texts_per_s"] / base["texts_per_s"]
        lines.append(
            f"| {r['variant'].label} | {r['texts_per_s']:.1f} | {ratio:.2f} | "
            f"{r['agreement']:.3f} | {r['mrr']:.4f} ({r['mrr'] / base['mrr'] - 1:+.1%}) |"
        )
    return "\n".join(lines)


def fastest_within_tolerance(results: list[dict]) -> Variant:
    """The fastest measured variant whose MRR is within MRR_TOLERANCE of the reference's."""
    base = results[0]["mrr"]
    fit = [r for r in results if "mrr" in r and r["mrr"] >= base * (1 - MRR_TOLERANCE)]
    return max(fit, key=lambda r: r["texts_per_s"])["variant"]


def main(
    data: Annotated[Path, typer.Option(help="folder holding the dev bundles")] = BUNDLES,
    bundle: Annotated[str, typer.Option(help="the bundle whose questions are embedded")] = "history",
) -> None:
    """Measure every variant on one bundle's questions; print the table and the fastest good one."""
    logging.basicConfig(level=logging.WARNING)
    if not (data / bundle).is_dir():
        raise typer.BadParameter(f"no {bundle} bundle under {data}")
    split = time_split(bundle, read_contributions(data / bundle))
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-encoder-") as cache_dir:
        results = bench(VARIANTS, split, Path(cache_dir))
    typer.echo(
        f"{bundle}: {len(split.texts)} questions embedded ({split.n_train} earlier, {len(split.experts)} "
        f"test kept, {split.dropped} dropped), batch {BATCH_SIZE}; {os.cpu_count()} cores, load average "
        f"{load:.1f} before and {os.getloadavg()[0]:.1f} after (shared machine: ratios within this run)\n"
    )
    typer.echo(markdown(results, split))
    best = fastest_within_tolerance(results)
    typer.echo(f"\nfastest within {MRR_TOLERANCE:.0%} of fp32's MRR: {best.label}")


if __name__ == "__main__":
    typer.run(main)
