"""Benchmark of the encoder paths: throughput, query latency and expert-finding quality.

Quality is the spec's "MiniLM voting" baseline (../shared/spec/evaluation.md) computed with each
path's embeddings on the dev bundles; the default path is the fastest one within 1% MRR of fp32.
Run: `python -m evaluation.benchmarks.encoder` (about 10 minutes on 2 cores). Prints a Markdown table.
"""

import json
import logging
import os
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, get_args

import numpy as np
import typer

from evaluation.data import BUNDLES
from models.encoder import Encoder
from models.encoder_path import EncoderPath
from models.texts import contribution_text

PATHS: list[EncoderPath] = list(get_args(EncoderPath))
VOTERS = 100  # most similar earlier questions that vote for their answerers
QUERIES = 50
QUERY_WORDS = 15
MRR_TOLERANCE = 0.01  # a path may lose at most 1% of fp32's MRR

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


def query_latency_ms(encoder: Encoder, texts: list[str]) -> float:
    """Median wall time of `encode_query` over short queries cut from `texts`."""
    queries = [" ".join(text.split()[:QUERY_WORDS]) for text in texts[:QUERIES]]
    encoder.encode_query(queries[0])
    timings = []
    for query in queries:
        start = time.perf_counter()
        encoder.encode_query(query)
        timings.append(time.perf_counter() - start)
    return 1000 * statistics.median(timings)


def bench_path(path: EncoderPath, splits: list[VotingSplit]) -> dict:
    """Throughput and MRR per bundle with all cores, then single-query latency on one thread."""
    encoder = Encoder(path=path, batch_size=32, threads=os.cpu_count() or 1)
    result: dict = {"path": path, "effective": encoder.path}
    if encoder.path != path:
        return result
    texts = [text for split in splits for text in split.texts]
    start = time.perf_counter()
    vectors = encoder.encode(texts, progress=True)
    result["texts_per_s"] = len(texts) / (time.perf_counter() - start)
    offset = 0
    for split in splits:
        result[split.bundle] = voting_mrr(split, vectors[offset : offset + len(split.texts)])
        offset += len(split.texts)
    result["latency_ms"] = query_latency_ms(encoder, splits[0].texts[splits[0].n_train :])
    result["latency_1t_ms"] = query_latency_ms(
        Encoder(path=path, threads=1), splits[0].texts[splits[0].n_train :]
    )
    return result


def markdown(results: list[dict], splits: list[VotingSplit]) -> str:
    """The results as a Markdown table, MRR relative to fp32 in parentheses."""
    names = [s.bundle for s in splits]
    head = ["path", "texts/s (batch 32)", "query p50 ms (all cores)", "query p50 ms (1 thread)"]
    head += [f"MRR {n} ({len(s.experts)} kept)" for n, s in zip(names, splits, strict=True)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    base = next(r for r in results if r["path"] == "fp32")
    for r in results:
        if r["effective"] != r["path"]:
            cells = [r["path"], f"unavailable here (runs as {r['effective']})"] + [""] * (len(head) - 2)
        else:
            cells = [
                r["path"],
                f"{r['texts_per_s']:.1f}",
                f"{r['latency_ms']:.1f}",
                f"{r['latency_1t_ms']:.1f}",
            ]
            cells += [f"{r[n]:.3f} ({r[n] / base[n] - 1:+.1%})" for n in names]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def fastest_within_tolerance(results: list[dict], names: list[str]) -> str:
    """The fastest measured path whose MRR on every bundle is within 1% of fp32's."""
    base = next(r for r in results if r["path"] == "fp32")
    fit = [
        r
        for r in results
        if r["effective"] == r["path"] and all(r[n] >= base[n] * (1 - MRR_TOLERANCE) for n in names)
    ]
    return max(fit, key=lambda r: r["texts_per_s"])["path"]


def main(
    data: Annotated[Path, typer.Option(help="folder holding the dba and history bundles")] = BUNDLES,
    paths: Annotated[list[str], typer.Option("--path", help="encoder paths to measure")] = PATHS,
) -> None:
    """Measure every encoder path and print the table and the recommended default."""
    logging.basicConfig(level=logging.WARNING)
    if not (data / "dba").is_dir():
        raise typer.BadParameter(f"no bundles under {data}")
    splits = [time_split(name, read_contributions(data / name)) for name in ("dba", "history")]
    for s in splits:
        kept = f"{len(s.experts)} test questions kept, {s.dropped} dropped"
        typer.echo(f"{s.bundle}: {s.n_train} earlier questions, {kept}")
    if "fp32" not in paths:
        paths = ["fp32", *paths]
    results = [bench_path(path, splits) for path in paths]
    typer.echo(markdown(results, splits))
    best = fastest_within_tolerance(results, [s.bundle for s in splits])
    typer.echo(f"\nfastest path within 1% of fp32 MRR on both bundles: {best}")


if __name__ == "__main__":
    typer.run(main)
