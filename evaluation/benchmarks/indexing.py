"""Benchmark: full index build vs incremental build after editing 1% of the contributions.

Imports each organization into a temporary store, builds once with `--full`, edits the bodies
of a seeded random 1% of contributions in the store, builds again, and prints seconds, texts
embedded and the incremental/full ratios of time (goal: at most 3%) and of texts embedded.
The encoder is loaded once beforehand and not counted.
Run: `.venv/bin/python -m evaluation.benchmarks.indexing [dba] [demo]`.
"""

import logging
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select, update

from evaluation.data import BUNDLES
from indexing.embeddings import TextEncoder
from indexing.job import BuildSummary, make_encoder, run_index
from store.db import open_store, transaction
from store.settings import Settings
from store.tables import Contribution

EDIT_SUFFIX = " (edited for the indexing benchmark)"

app = typer.Typer(add_completion=False)


def _dba(home: Path) -> Path:
    """The dba bundle from the shared data folder."""
    if not (BUNDLES / "dba").is_dir():
        raise FileNotFoundError(f"no dba bundle at {BUNDLES / 'dba'} (see ../shared/data/README.md)")
    return BUNDLES / "dba"


def _demo(home: Path) -> Path:
    """The default-size demo organization, written as a bundle under `home`."""
    from service.demo.generator import generate_demo

    generate_demo(seed=7, size="default").write_bundle(home / "bundle")
    return home / "bundle"


ORGANIZATIONS: dict[str, Callable[[Path], Path]] = {"dba": _dba, "demo": _demo}


def edit_contributions(settings: Settings, fraction: float, seed: int = 0) -> int:
    """Append a sentence to a seeded random `fraction` of contribution bodies; returns how many."""
    sessions = open_store(settings)
    with transaction(sessions) as session:
        ids = sorted(session.scalars(select(Contribution.id)))
        chosen = random.Random(seed).sample(ids, max(1, round(len(ids) * fraction)))
        session.execute(
            update(Contribution)
            .where(Contribution.id.in_(chosen))
            .values(body=Contribution.body + EDIT_SUFFIX, updated_at=datetime.now(UTC))
        )
    return len(chosen)


@dataclass
class Result:
    """One organization's figures."""

    full: BuildSummary
    edited: int
    incremental: BuildSummary
    unchanged_seconds: float  # a run that finds nothing changed


def bench(name: str, base: Settings, encoder: TextEncoder, fraction: float) -> Result:
    """Import `name` into a temporary store, build full, edit `fraction`, build incrementally."""
    from store.importers.bundle import import_bundle

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        settings = base.model_copy(update={"home": Path(tmp), "database_url": None})
        import_bundle(open_store(settings), ORGANIZATIONS[name](Path(tmp)))
        full = run_index(settings, full=True, encoder=encoder, progress=False)
        edited = edit_contributions(settings, fraction)
        incremental = run_index(settings, encoder=encoder, progress=False)
        started = time.perf_counter()
        run_index(settings, encoder=encoder, progress=False)
        return Result(full, edited, incremental, time.perf_counter() - started)


@app.command()
def main(
    organizations: Annotated[list[str] | None, typer.Argument(help="dba and/or demo (default: both)")] = None,
    fraction: Annotated[float, typer.Option(help="share of contributions edited")] = 0.01,
) -> None:
    """Print full vs incremental build figures per organization."""
    logging.basicConfig(level=logging.WARNING)
    unknown = set(organizations or []) - set(ORGANIZATIONS)
    if unknown:
        raise typer.BadParameter(f"unknown organizations {sorted(unknown)}; use dba and/or demo")
    settings = Settings()
    encoder = make_encoder(settings)
    typer.echo(f"encoder {encoder.name}; edited share {fraction:.1%}")
    typer.echo(
        "| organization | full s | full embedded | edited | incremental s | "
        "incremental embedded | reused | time ratio | embedded ratio | unchanged check s |"
    )
    typer.echo("|---|---|---|---|---|---|---|---|---|---|")
    for name in organizations or list(ORGANIZATIONS):
        r = bench(name, settings, encoder, fraction)
        full, incr = r.full, r.incremental
        typer.echo(
            f"| {name} | {full.seconds:.1f} | {full.embedded} | {r.edited} | {incr.seconds:.2f} | "
            f"{incr.embedded} | {incr.reused} | {incr.seconds / full.seconds:.1%} | "
            f"{incr.embedded / full.embedded:.1%} | {r.unchanged_seconds:.2f} |"
        )


if __name__ == "__main__":
    app()
