"""Benchmark of the encoder paths: texts/s against plain fp32, agreement with it, and MRR by the real
evaluation.

Each variant (path, token limit, processes x threads) is the executor `copmatch index` makes for
those settings (indexing.job.make_index_encoder: worker processes of one thread each, or the
encoder in-process) and first runs expert finding on one bundle as `copmatch evaluate experts
--no-ablations` does (the spec's cutoff: the index built from what precedes it, the held-out
questions through the service), giving copmatch's and the dense-voting baseline's MRR and the
vectors of every text it embedded. Agreement is the mean share of each text's 10 nearest neighbours
that the reference also finds there. Then every executor, loaded and warm, embeds those same texts
in interleaved rounds (a burst of load elsewhere hits every variant alike); texts/s is its best
round. The reference is plain sentence-transformers fp32 at 256 tokens in one process of two
threads. bf16 runs only where the CPU has native bfloat16. Run: `python -m
evaluation.benchmarks.encoder` (about 6 minutes on 2 quiet cores for history). Prints a Markdown
table and the fastest variant within 1% of the reference's copmatch MRR.
"""

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, NamedTuple

import numpy as np
import typer

from evaluation.data import BUNDLES
from evaluation.experts import evaluate_experts
from indexing.embeddings import TextEncoder
from indexing.job import make_index_encoder
from models import encoder as encoder_module
from models.encoder_path import EncoderPath
from store.importers.bundle import read_bundle
from store.importers.records import Batch
from store.settings import Settings

NEIGHBOURS = 10  # agreement: overlap of each text's nearest neighbours with the reference's
MRR_TOLERANCE = 0.01  # a variant may lose at most 1% of the reference's MRR
SPEED_GOAL = 2.5  # texts/s against the reference (issue 19)
WARM_TEXTS = 256  # embedded before timing: loads every worker (8 passes of 32)
ROUNDS = 3  # interleaved timing rounds; each variant's best counts

log = logging.getLogger(__name__)


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

    def settings(self, home: Path) -> Settings:
        """Settings under `home` that make this variant's executor."""
        return Settings(
            home=home,
            encoder_path=self.path,
            encoder_max_tokens=self.max_tokens,
            index_processes=self.processes,
            torch_threads=self.threads if self.processes == 1 else 0,
            _env_file=None,
        )


REFERENCE = Variant("fp32", 256, 1, 2)  # plain sentence-transformers as the model ships
VARIANTS = [
    REFERENCE,
    Variant("bf16", 256, 1, 2),
    Variant("bf16", 256, 2, 1),
    Variant("onnx-int8", 256, 1, 2),
    Variant("onnx-int8", 256, 2, 1),
    Variant("bf16", 128, 1, 2),
    Variant("bf16", 128, 2, 1),
    Variant("onnx-int8", 128, 1, 2),
    Variant("onnx-int8", 128, 2, 1),
]


class KeptEncoder:
    """Wraps an executor and keeps each text's vector (agreement compares them across variants)."""

    def __init__(self, encoder: TextEncoder) -> None:
        self.encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """The wrapped executor's vectors, kept."""
        vectors = self.encoder.encode(texts)
        self.vectors.update(zip(texts, vectors, strict=True))
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        """One text's vector (a query the evaluation had not embedded in its batch)."""
        return self.encode([text])[0]


def neighbour_agreement(vectors: np.ndarray, reference: np.ndarray) -> float:
    """Mean share of each row's NEIGHBOURS nearest other rows that the reference also ranks there."""

    def nearest(v: np.ndarray) -> np.ndarray:
        similarity = v @ v.T
        np.fill_diagonal(similarity, -np.inf)
        return np.argpartition(-similarity, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]

    ours, theirs = nearest(vectors), nearest(reference)
    return float(np.mean([len(set(a) & set(b)) / NEIGHBOURS for a, b in zip(ours, theirs, strict=True)]))


def run_variant(variant: Variant, name: str, batch: Batch, scratch: Path, folder: Path) -> dict:
    """One variant's evaluation: its executor (warm, kept open for timing), vectors and MRR by method."""
    settings = variant.settings(scratch / "home")  # one home: the ONNX export is made once
    executor = make_index_encoder(settings)
    executor.encode([f"warm-up text {i}" for i in range(WARM_TEXTS)])
    kept = KeptEncoder(executor)
    work, out = folder / "work", folder / "out"
    table = evaluate_experts(name, batch, work, out, kept, settings, ablations=False)  # type: ignore[arg-type]
    mrr = {method: float(values["MRR"]) for method, values in table.rows}
    log.warning("%s: MRR %.4f", variant.label, mrr["copmatch"])
    return {
        "variant": variant,
        "executor": executor,
        "vectors": kept.vectors,
        "mrr": mrr,
        "notes": table.notes,
    }


def time_rounds(results: list[dict], texts: list[str], rounds: int) -> None:
    """Each variant's best texts/s over `rounds` interleaved rounds embedding `texts` in one call
    (interleaved, order rotated each round, so a burst of load elsewhere hits every variant alike)."""
    measured = [r for r in results if "executor" in r]
    for number in range(rounds):
        shift = number % len(measured)
        for result in measured[shift:] + measured[:shift]:
            start = time.perf_counter()
            result["executor"].encode(texts)
            per_second = len(texts) / (time.perf_counter() - start)
            result["texts_per_s"] = max(result.get("texts_per_s", 0.0), per_second)
            log.warning("round %d, %s: %.1f texts/s", number + 1, result["variant"].label, per_second)


def bench(variants: list[Variant], name: str, batch: Batch, scratch: Path) -> list[dict]:
    """Each runnable variant's MRR, agreement with the first (the reference) and best texts/s."""
    results: list[dict] = []
    try:
        for number, variant in enumerate(variants):
            if variant.path == "bf16" and not encoder_module._bf16_supported():
                results.append({"variant": variant, "unavailable": "no native bfloat16 on this CPU"})
                continue
            results.append(run_variant(variant, name, batch, scratch, scratch / str(number)))
        reference = results[0]["vectors"]
        texts = list(reference)
        for result in results[1:]:
            if "vectors" in result:
                ours = np.stack([result["vectors"][t] for t in texts])
                result["agreement"] = neighbour_agreement(ours, np.stack(list(reference.values())))
        results[0]["agreement"] = 1.0
        time_rounds(results, texts, ROUNDS)
    finally:
        for result in results:
            close = getattr(result.get("executor"), "close", None)
            if close is not None:
                close()
    return results


def speed(result: dict) -> float:
    """A measured variant's best texts per second."""
    return result["texts_per_s"]


def markdown(results: list[dict]) -> str:
    """The results as a Markdown table, texts/s and MRR relative to the reference."""
    base = results[0]
    lines = [
        f"| variant | texts/s | x fp32 | top-{NEIGHBOURS} agreement | copmatch MRR | dense-voting MRR |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if "unavailable" in r:
            lines.append(f"| {r['variant'].label} | {r['unavailable']} | | | | |")
            continue
        mrr = [
            f"{r['mrr'][m]:.4f} ({r['mrr'][m] / base['mrr'][m] - 1:+.1%})"
            for m in ("copmatch", "dense-voting")
        ]
        lines.append(
            f"| {r['variant'].label} | {speed(r):.1f} | {speed(r) / speed(base):.2f} | "
            f"{r['agreement']:.3f} | {mrr[0]} | {mrr[1]} |"
        )
    return "\n".join(lines)


def verdict(results: list[dict]) -> str:
    """The fastest variant within MRR_TOLERANCE of the reference's copmatch MRR, against the goal."""
    floor = results[0]["mrr"]["copmatch"] * (1 - MRR_TOLERANCE)
    best = max((r for r in results if "mrr" in r and r["mrr"]["copmatch"] >= floor), key=speed)
    ratio = speed(best) / speed(results[0])
    return (
        f"fastest within {MRR_TOLERANCE:.0%} of fp32's copmatch MRR: {best['variant'].label}, {ratio:.2f}x"
        f" fp32 ({'meets' if ratio >= SPEED_GOAL else 'misses'} the {SPEED_GOAL}x goal)"
    )


def main(
    bundle: Annotated[Path, typer.Option(help="the bundle evaluated", exists=True, file_okay=False)] = BUNDLES
    / "history",
) -> None:
    """Evaluate every variant on one bundle; print the table and the fastest good one."""
    logging.basicConfig(level=logging.WARNING)
    batch = read_bundle(bundle)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-encoder-") as scratch:
        results = bench(VARIANTS, bundle.name, batch, Path(scratch))
    typer.echo(
        f"{bundle.name}: expert finding at the spec's cutoff; texts/s: best of {ROUNDS} interleaved rounds"
        f" embedding its {len(results[0]['vectors'])} texts (index and held-out questions) in one call, batch"
        f" 32; {os.cpu_count()} cores, load average {load:.1f} before"
        f" and {os.getloadavg()[0]:.1f} after, {time.perf_counter() - started:.0f} s in all"
    )
    typer.echo("; ".join(results[0]["notes"][1:3]) + "\n")
    typer.echo(markdown(results))
    typer.echo(f"\n{verdict(results)}")


if __name__ == "__main__":
    typer.run(main)
