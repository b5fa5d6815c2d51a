"""Benchmark: `copmatch index` as a user times it, full against incremental, and a version's size.

Imports each organization into a temporary store, then times whole `copmatch index` processes
(start to exit: interpreter, imports, model load, build, publish): `--full`, then a plain run after
editing the bodies of a seeded random 1% of contributions, then a plain run with nothing changed.
Prints wall seconds, texts embedded, the incremental/full time ratio (goal: at most 3%), the floor
under that ratio (the seconds the incremental run spent embedding, as a share of the full run), the
start-up of a bare `copmatch --help` for scale, the load average before and after, and the current
version's size on disk with its largest files and how much of it is new (not hard-linked to the
previous version). An organization whose bundle is absent from the shared data is skipped, saying so.
The encoder's one-off ONNX export is made before any timing (a full run on an installed copmatch finds it).
Run: `.venv/bin/python -m evaluation.benchmarks.indexing [dba] [history] [demo]`.
"""

import logging
import os
import random
import subprocess
import sys
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
from indexing.versions import published_dir, read_manifest
from store.db import open_store, transaction
from store.settings import Settings
from store.tables import Contribution

EDIT_SUFFIX = " (edited for the indexing benchmark)"
LARGEST_FILES = 4
MB = 1e6

app = typer.Typer(add_completion=False)


def _shared_bundle(name: str) -> Callable[[Path], Path]:
    """A bundle from the shared data folder."""

    def locate(home: Path) -> Path:
        if not (BUNDLES / name).is_dir():
            raise FileNotFoundError(f"no {name} bundle at {BUNDLES / name} (see ../shared/data/README.md)")
        return BUNDLES / name

    return locate


def _demo(home: Path) -> Path:
    """The default-size demo organization, written as a bundle under `home`."""
    from service.demo.generator import generate_demo

    generate_demo(seed=7, size="default").write_bundle(home / "bundle")
    return home / "bundle"


ORGANIZATIONS: dict[str, Callable[[Path], Path]] = {
    "dba": _shared_bundle("dba"),
    "history": _shared_bundle("history"),
    "demo": _demo,
}


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


def timed_cli(home: Path, *arguments: str) -> float:
    """Wall seconds of one `copmatch` process with COPMATCH_HOME=home; a failure stops the benchmark."""
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k} | {"COPMATCH_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", *arguments], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"copmatch {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")
    return seconds


@dataclass
class Run:
    """One `copmatch index` process: its wall time and what the version it left says."""

    seconds: float
    version: int
    embedded: int
    reused: int
    embed_seconds: float


def _run(home: Path, *arguments: str) -> Run:
    """Time `copmatch index ARGUMENTS` and read the current version's manifest."""
    seconds = timed_cli(home, "index", *arguments)
    manifest = read_manifest(published_dir(home / "index"))
    embedding = manifest.get("embed_seconds", 0.0)
    return Run(seconds, manifest["version"], manifest["embedded"], manifest["reused"], embedding)


@dataclass
class Result:
    """One organization's figures."""

    full: Run
    edited: int
    incremental: Run
    unchanged: Run
    version_bytes: int
    new_bytes: int
    largest: list[tuple[str, int]]


def version_size(directory: Path) -> tuple[int, int, list[tuple[str, int]]]:
    """Bytes of a version directory, of its files not shared with another version, its largest files."""
    files = [p for p in directory.iterdir() if p.is_file()]
    sizes = sorted(((p.name, p.stat().st_size) for p in files), key=lambda f: -f[1])
    new = sum(p.stat().st_size for p in files if p.stat().st_nlink == 1)
    return sum(size for _, size in sizes), new, sizes[:LARGEST_FILES]


def export_encoder(home: Path) -> None:
    """Make the encoder's one-off ONNX export under `home` (untimed: an installed copmatch has it)."""
    from indexing.job import make_encoder

    make_encoder(Settings(home=home, database_url=None))


def bench(name: str, fraction: float, encoders: Path) -> Result:
    """Import `name` into a temporary store, build full, edit `fraction`, build, build unchanged; the
    runs find the encoder export in `encoders`."""
    from store.importers.bundle import import_bundle

    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        home = Path(tmp)
        (home / "encoders").symlink_to(encoders, target_is_directory=True)
        settings = Settings(home=home, database_url=None)
        import_bundle(open_store(settings), ORGANIZATIONS[name](home))
        full = _run(home, "--full")
        edited = edit_contributions(settings, fraction)
        incremental = _run(home)
        unchanged = _run(home)
        size, new, largest = version_size(published_dir(home / "index"))
        return Result(full, edited, incremental, unchanged, size, new, largest)


@app.command()
def main(
    organizations: Annotated[
        list[str] | None, typer.Argument(help="dba, history and/or demo (default: dba and history)")
    ] = None,
    fraction: Annotated[float, typer.Option(help="share of contributions edited")] = 0.01,
) -> None:
    """Print full vs incremental `copmatch index` process times and version sizes per organization."""
    logging.basicConfig(level=logging.WARNING)
    names = organizations or ["dba", "history"]
    unknown = set(names) - set(ORGANIZATIONS)
    if unknown:
        raise typer.BadParameter(f"unknown organizations {sorted(unknown)}; use {sorted(ORGANIZATIONS)}")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        startup = timed_cli(Path(tmp), "--help")
    settings = Settings()
    typer.echo(
        f"model {settings.model} ({settings.encoder_path}); edited share {fraction:.1%}; "
        f"`copmatch --help` start-up {startup:.2f} s; load average {_load()}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-encoders-") as tmp:
        export_encoder(Path(tmp))
        results = {}
        for name in names:
            try:
                results[name] = bench(name, fraction, Path(tmp) / "encoders")
            except FileNotFoundError as missing:
                typer.echo(f"skipped {name}: {missing}")
    typer.echo(
        "| organization | full s | full embedded | edited | incremental s | incremental embedded | "
        "time ratio | of which embedding s (floor) | unchanged s | version MB (new) | largest files (MB) |"
    )
    typer.echo("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, r in results.items():
        full, incr = r.full, r.incremental
        largest = ", ".join(f"{file} {size / MB:.1f}" for file, size in r.largest)
        typer.echo(
            f"| {name} | {full.seconds:.1f} | {full.embedded} | {r.edited} | {incr.seconds:.2f} | "
            f"{incr.embedded} | {incr.seconds / full.seconds:.1%} | "
            f"{incr.embed_seconds:.2f} ({incr.embed_seconds / full.seconds:.1%}) | "
            f"{r.unchanged.seconds:.2f} | {r.version_bytes / MB:.1f} ({r.new_bytes / MB:.1f}) | {largest} |"
        )
    typer.echo(f"load average after: {_load()}")


def _load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    app()
