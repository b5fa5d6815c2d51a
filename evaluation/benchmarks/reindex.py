"""Benchmark: /v1/experts latency before, during and after an admin reindex, under steady load.

The history bundle (../shared/data/bundles/history) is imported and indexed into a temporary home,
`copmatch serve` starts with one process and one thread, and a client (aiohttp on uvloop, its own
process) sends `rate` requests per second, open loop, for the whole run. After `seconds` of
warm load, CHANGED of the contributions are edited in the store and `POST /v1/admin/reindex` is
sent; the reindex runs as its own niced, single-threaded process and the service swaps in the
version it publishes. "during" is from the POST until the admin API reports the run over and the
new version served; "after" is the next `seconds`. Prints p50/p99 per phase and the goal
(p99 during <= 2x p99 before). Figures on a shared machine are noisy: run it with `nice`, twice.
Run: `nice -n 10 python -m evaluation.benchmarks.reindex` (about 3 minutes plus the first build).
"""

import asyncio
import json
import logging
import multiprocessing
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from evaluation.benchmarks.service import percentile, running_server, serving_settings
from evaluation.data import BUNDLES
from evaluation.protocol import held_out_questions

log = logging.getLogger(__name__)
CHANGED = 0.02  # share of contributions edited before the reindex: what it re-embeds
K = 10


def prepare(home: Path, bundle: Path):
    """Import and index `bundle` under `home`; (settings, titles of its held-out questions)."""
    from indexing.job import make_encoder, run_index
    from store.db import open_store
    from store.importers.bundle import import_bundle, read_bundle

    settings = serving_settings(home, "onnx-int8", "static")
    import_bundle(open_store(settings), bundle)
    run_index(settings, encoder=make_encoder(settings), progress=False)
    records = [item.record for item in read_bundle(bundle).contributions]
    return settings, [q.title for q in held_out_questions(records) if q.title]


def edit_store(settings, share: float) -> int:
    """Append a sentence to `share` of the contributions (every n-th), so the reindex has work."""
    from sqlalchemy import select

    from store.db import open_store, transaction
    from store.tables import Contribution

    with transaction(open_store(settings)) as session:
        rows = session.scalars(select(Contribution).order_by(Contribution.id)).all()
        step = max(1, round(1 / share))
        for row in rows[::step]:
            row.body += " Edited for the reindex benchmark."
            row.updated_at = datetime.now(UTC)
        return len(rows[::step])


async def _load(url: str, keys: dict[str, str], texts: list[str], rate: float, seconds: float) -> dict:
    """Open-loop requests at `rate`/s; triggers the reindex after `seconds`; latencies per phase."""
    import aiohttp

    reader = {"Authorization": f"Bearer {keys['reader']}", "Content-Type": "application/json"}
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    phases: dict[str, list[float]] = {"before": [], "during": [], "after": []}
    phase = "before"
    async with aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=256)) as session:

        async def ask(i: int) -> None:
            started, where = time.perf_counter(), phase
            body = json.dumps({"text": texts[i % len(texts)], "k": K})
            async with session.post("/v1/experts", data=body, headers=reader) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"/v1/experts answered {response.status}")
            phases[where].append(1000 * (time.perf_counter() - started))

        async def status() -> dict:
            async with session.get("/v1/admin/index", headers=admin) as response:
                return await response.json()

        async def control() -> dict:
            nonlocal phase
            await asyncio.sleep(seconds)
            first = (await status())["version"]
            async with session.post("/v1/admin/reindex", headers=admin) as response:
                assert response.status == 202, await response.text()
            phase, started = "during", time.perf_counter()
            while (now := await status())["reindex_running"] or now["version"] == first:
                await asyncio.sleep(0.25)
            during = time.perf_counter() - started
            phase = "after"
            await asyncio.sleep(seconds)
            phase = "done"
            return {"versions": (first, now["version"]), "during_seconds": during}

        tasks, i = [], 0
        controller = asyncio.create_task(control())
        start = time.perf_counter()
        while phase != "done":
            tasks.append(asyncio.create_task(ask(i)))
            i += 1
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        await asyncio.gather(*tasks)
        return {"phases": phases} | await controller


def drive(url: str, keys: dict[str, str], texts: list[str], rate: float, seconds: float) -> dict:
    """The client, in its own process on uvloop."""
    import uvloop

    return uvloop.run(_load(url, keys, texts, rate, seconds))


def main(
    bundle: Annotated[Path, typer.Option(help="bundle folder")] = BUNDLES / "history",
    rate: Annotated[float, typer.Option(min=1, max=500, help="requests per second")] = 40.0,
    seconds: Annotated[float, typer.Option(min=5, max=300, help="before and after phases")] = 30.0,
) -> None:
    """Print p50/p99 of /v1/experts before, during and after an admin reindex."""
    from concurrent.futures import ProcessPoolExecutor

    from store.db import open_store
    from store.keys import create_key

    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as home:
        settings, texts = prepare(Path(home), bundle)
        sessions = open_store(settings)
        keys = {role: create_key(sessions, name=f"bench-{role}", role=role) for role in ("reader", "admin")}
        edited = edit_store(settings, CHANGED)
        load_before = os.getloadavg()[0]
        with running_server(settings, Path(home) / "server.log", 1) as url:
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=spawn) as client:
                result = client.submit(drive, url, keys, texts, rate, seconds).result()
    typer.echo(
        f"POST /v1/experts at {rate:.0f} req/s (open loop), {bundle.name} bundle, 1 service process; "
        f"reindex of {edited} edited contributions, v{result['versions'][0]} -> v{result['versions'][1]} "
        f"in {result['during_seconds']:.1f} s; {os.cpu_count()} cores, load average {load_before:.1f} "
        f"before, {os.getloadavg()[0]:.1f} after (shared machine: noisy)\n"
    )
    typer.echo("| phase | requests | p50 ms | p99 ms |\n|---|---|---|---|")
    figures = {}
    for name, values in result["phases"].items():
        figures[name] = percentile(values, 99)
        typer.echo(f"| {name} | {len(values)} | {percentile(values, 50):.1f} | {figures[name]:.1f} |")
    ratio = figures["during"] / figures["before"]
    typer.echo(f"\np99 during / p99 before = {ratio:.2f} (goal <= 2)")


if __name__ == "__main__":
    typer.run(main)
