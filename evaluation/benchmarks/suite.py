"""`make bench`: every figure the speed goals of issue 19 are read from, in one run.

Runs three benchmarks, each in its own process and printing its own tables: `encoder` (texts/s of
each inference path against plain fp32, with agreement, on the history questions), `indexing` (full
and incremental `copmatch index` processes on dba and history, their ratio, each version's size) and
`service` (POST /v1/experts p50/p99/requests/s for title and title + body queries on the demo and
the synthetic 1M index, the version size and a per-stage breakdown). A benchmark whose shared data
(../shared/data/bundles) is absent is skipped with a message; so is a site of the indexing one.
The demo and 1M homes are kept under --home and reused while their snapshot format is current
(docs/benchmarks.md says what the first run costs).
Run: `make bench` or `python -m evaluation.benchmarks.suite [--home var/bench]`.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from evaluation.data import BUNDLES

HOME = Path("var") / "bench"
ENCODER_BUNDLE = "history"  # the encoder benchmark's default
SITES = ("dba", "history")  # indexed by the indexing benchmark; seeds and questions of the service one


@dataclass(frozen=True)
class Step:
    """One benchmark to run (`arguments` after `python -m`), or skipped for `missing` data."""

    name: str
    arguments: tuple[str, ...]
    missing: str = ""


def plan(bundles: Path, home: Path) -> list[Step]:
    """The benchmarks `make bench` runs with the bundles found under `bundles`, in order."""
    present = [site for site in SITES if (bundles / site).is_dir()]
    absent = ", ".join(sorted(set(SITES) - set(present)))
    encoder = Step("encoder", ("evaluation.benchmarks.encoder",))
    indexing = Step("indexing", ("evaluation.benchmarks.indexing", *present))
    service = Step(
        "service",
        (
            "evaluation.benchmarks.service",
            "--demo-home",
            str(home / "demo"),
            "--synthetic-home",
            str(home / "1m"),
        ),
    )
    return [
        encoder if ENCODER_BUNDLE in present else Step(encoder.name, (), f"no {ENCODER_BUNDLE} bundle"),
        indexing if present else Step(indexing.name, (), f"no {absent} bundle"),
        service if not absent else Step(service.name, (), f"no {absent} bundle (its queries and 1M seed)"),
    ]


def _load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main(
    home: Annotated[Path, typer.Option(help="where the demo and 1M homes are kept between runs")] = HOME,
) -> None:
    """Run each benchmark in turn, printing its output, what was skipped and the wall times."""
    started = time.perf_counter()
    typer.echo(
        f"make bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {_load()} (1/5/15 min)"
    )
    if len(SITES) > sum((BUNDLES / site).is_dir() for site in SITES):
        typer.echo(f"(shared data looked for in {BUNDLES})")
    failed = []
    for step in plan(BUNDLES, home):
        if step.missing:
            typer.echo(f"\n## {step.name}: skipped, {step.missing}")
            continue
        typer.echo(f"\n## {step.name} (python -m {' '.join(step.arguments)})\n", nl=True)
        step_started = time.perf_counter()
        code = subprocess.run([sys.executable, "-m", *step.arguments], check=False).returncode
        if code:
            failed.append(step.name)
        typer.echo(
            f"\n{step.name}: {'failed with exit code ' + str(code) if code else 'done'} in "
            f"{time.perf_counter() - step_started:.0f} s; load average {_load()}"
        )
    typer.echo(f"\nmake bench: {time.perf_counter() - started:.0f} s in all; load average {_load()}")
    if failed:
        raise typer.Exit(1)


if __name__ == "__main__":
    typer.run(main)
