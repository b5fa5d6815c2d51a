"""Benchmark: embedding throughput in-process vs on a local Ray with 1 and 2 encoder actors.

The texts are the default demo organization's contributions (about 3,500), embedded whole by each
executor with the settings' encoder path and batch size; the Ray figures include starting the
actors and loading one encoder in each, which every embedding job pays. The in-process encoder
uses all cores, each actor `ray_actor_cpus` of them.
Run: `.venv/bin/python -m evaluation.benchmarks.ray [--texts N]` (needs the `ray` extra).
"""

import logging
import os
import time
from typing import Annotated

import typer

from indexing.embeddings import TextEncoder
from indexing.job import make_encoder
from indexing.ray_encoder import RayEncoder
from models.texts import contribution_text
from service.demo.generator import generate_demo
from store.settings import Settings

app = typer.Typer(add_completion=False)


def demo_texts(limit: int) -> list[str]:
    """Up to `limit` embedded texts of the default demo organization's contributions."""
    rows = generate_demo(seed=7, size="default").contributions
    return [contribution_text(r["kind"], r.get("title") or "", r.get("body") or "", "", "") for r in rows][
        :limit
    ]


def texts_per_second(encoder: TextEncoder, texts: list[str]) -> float:
    """Texts embedded per second of wall time by one `encode` call."""
    started = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started)


@app.command()
def main(texts: Annotated[int, typer.Option(help="how many demo texts to embed")] = 3000) -> None:
    """Print a Markdown table of texts/s per executor."""
    logging.basicConfig(level=logging.WARNING)
    import ray

    settings = Settings()
    sample = demo_texts(texts)
    cores = os.cpu_count() or 1
    typer.echo(
        f"{len(sample)} texts, encoder path {settings.encoder_path}, batch {settings.encoder_batch_size}"
    )
    typer.echo("| executor | actors | CPUs each | texts/s |")
    typer.echo("|---|---|---|---|")
    local = make_encoder(settings)
    local.encode(sample[:64])  # warm up (and export the ONNX model once, for the actors too)
    typer.echo(f"| in-process | - | {cores} | {texts_per_second(local, sample):.1f} |")
    ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    try:
        for actors in (1, 2):
            encoder = RayEncoder(settings.model_copy(update={"ray_actors": actors, "ray_actor_cpus": 1}))
            typer.echo(f"| Ray | {actors} | 1 | {texts_per_second(encoder, sample):.1f} |")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    app()
