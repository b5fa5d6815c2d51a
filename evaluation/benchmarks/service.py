"""Benchmark: latency and throughput of POST /v1/experts over HTTP, demo organization and 1M index.

For each size a COPMATCH_HOME is prepared, once, and reused while its index version has the current
snapshot format (demo: the default-size demo organization generated, imported and indexed into
`var/bench/demo`, about 2 minutes; 1m: evaluation.benchmarks.synthetic into `var/bench/1m`, about 5
minutes once its seed texts are embedded, 20 before), `copmatch serve --workers N` is started on a
free loopback port with one thread per process (SERVING_ENV) and a reader key is created. A client
in a separate process (aiohttp on uvloop) then sends, one at a time, WARMUP unmeasured and
SEQUENTIAL measured requests (p50, p99), then keeps `concurrency` requests in flight for `seconds`
(requests/s). Queries are the held-out test questions of the dev bundles
(../shared/spec/evaluation.md), asked twice: as their title alone (a short question, as typed) and
as title and body (≈150 words, as the offline evaluation asks). Last, with the server stopped, the
parts of one request are timed in-process by calling what the route calls, and the share of queries
the static encoder leaves to the model (most of their words new to the organization) is counted:
those pay the model's cost, which grows with the word pieces it reads (~2 ms for a title, ~13 ms at
256).
Run: `make bench` or `python -m evaluation.benchmarks.service --size demo --size 1m --workers 2` (about
6 minutes with both homes built). Prints Markdown tables.
"""

import asyncio
import json
import logging
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Annotated, get_args

import numpy as np
import typer

from evaluation.data import BUNDLES
from evaluation.protocol import held_out_questions, question_text
from models.encoder_path import DEFAULT_ENCODER_PATH, EncoderPath
from store.settings import QueryEncoder, Settings

log = logging.getLogger(__name__)

QUESTION_BUNDLES = ("dba", "history")
DEMO_HOME = Path("var") / "bench" / "demo"
SYNTHETIC_HOME = Path("var") / "bench" / "1m"
SYNTHETIC_CONTRIBUTIONS, SYNTHETIC_MEMBERS = 1_000_000, 50_000
SIZES = ("demo", "1m")
K = 10
WARMUP = 200
SEQUENTIAL = 400
BREAKDOWN_QUERIES = 200
READY_TIMEOUT = 600.0  # seconds for the server to load the encoder and the index
THREADS_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
GOAL = "goal at 1M: p50 <= 10 ms, p99 <= 30 ms, >= 200 requests/s"


@dataclass
class Load:
    """What the client measured against one server with one query form."""

    sequential: list[float]  # seconds per request, one at a time
    server_mean: float  # seconds per sequential request inside the app, from its /metrics
    loaded: list[float]  # seconds per request, `concurrency` in flight
    seconds: float  # wall time of the concurrent phase
    concurrency: int

    @property
    def per_second(self) -> float:
        """Requests completed per second with `concurrency` in flight."""
        return len(self.loaded) / self.seconds


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, interpolated."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def benchmark_questions() -> dict[str, list[str]]:
    """Held-out test questions of the dev bundles, alternating bundles, in two forms:
    {"title": […], "title+body": […]}; texts over the API's length limit are left out."""
    from store.importers.bundle import read_bundle

    per_bundle = []
    for name in QUESTION_BUNDLES:
        if not (BUNDLES / name).is_dir():
            raise FileNotFoundError(f"no {name} bundle at {BUNDLES / name} (see ../shared/data)")
        records = [item.record for item in read_bundle(BUNDLES / name).contributions]
        per_bundle.append(held_out_questions(records))
    mixed = [q for group in zip_longest(*per_bundle) for q in group if q is not None]
    forms = {"title": [q.title for q in mixed], "title+body": [question_text(q) for q in mixed]}
    limit = Settings().max_text_chars
    return {form: [t for t in texts if 0 < len(t) <= limit] for form, texts in forms.items()}


def serving_settings(home: Path, encoder_path: EncoderPath, query_encoder: QueryEncoder) -> Settings:
    """The settings the benchmarked server runs with: one thread per query."""
    return Settings(
        home=home, encoder_path=encoder_path, query_encoder=query_encoder, torch_threads=1, _env_file=None
    )


def serving_env(settings: Settings) -> dict[str, str]:
    """Environment of the server process: its home, encoder path and single-threaded pools."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPMATCH_")}
    env.pop("DATABASE_URL", None)
    env |= dict.fromkeys(THREADS_ENV, "1")
    return env | {
        "COPMATCH_HOME": str(settings.home.resolve()),
        "COPMATCH_ENCODER_PATH": settings.encoder_path,
        "COPMATCH_QUERY_ENCODER": settings.query_encoder,
        "COPMATCH_TORCH_THREADS": str(settings.torch_threads),
    }


def _current_format(settings: Settings) -> bool:
    """Whether `settings`' home holds an index version of the current snapshot format."""
    from indexing.versions import current_dir, read_manifest
    from models.snapshot_format import FORMAT

    current = current_dir(settings.index_dir)
    return current is not None and read_manifest(current).get("format") == FORMAT


def prepare_demo(home: Path, encoder_path: EncoderPath, query_encoder: QueryEncoder) -> Settings:
    """The default-size demo organization, imported and indexed under `home` unless a version of
    this format is there (an older home is emptied first)."""
    from indexing.job import make_encoder, run_index
    from service.demo.generator import generate_demo
    from store.db import open_store
    from store.importers.bundle import import_bundle

    settings = serving_settings(home, encoder_path, query_encoder)
    if _current_format(settings):
        return settings
    shutil.rmtree(home, ignore_errors=True)
    generate_demo(seed=7, size="default").write_bundle(home / "bundle")
    import_bundle(open_store(settings), home / "bundle")
    run_index(settings, encoder=make_encoder(settings), progress=False)
    return settings


def prepare_synthetic(home: Path, encoder_path: EncoderPath, query_encoder: QueryEncoder) -> Settings:
    """The synthetic 1M organization under `home`, built unless a version of this format is there."""
    from evaluation.benchmarks.synthetic import build_home
    from indexing.job import make_encoder
    from indexing.versions import published_dir, read_manifest

    settings = serving_settings(home, encoder_path, query_encoder)
    if not _current_format(settings):
        build_home(settings, make_encoder(settings), SYNTHETIC_CONTRIBUTIONS, SYNTHETIC_MEMBERS)
    elif read_manifest(published_dir(settings.index_dir)).get("encoder_path") != encoder_path:
        log.warning("%s was embedded with another encoder path than %s", settings.index_dir, encoder_path)
    return settings


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_ready(url: str, server: subprocess.Popen, log_path: Path, workers: int) -> None:
    """Poll /readyz until `workers` processes have answered 200 (the log names each worker's pid);
    RuntimeError (with the server's log tail) if it dies or times out."""
    import httpx

    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log_path.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the server exited with {server.returncode}; {log_path}:\n{tail}")
        try:
            ready = httpx.get(f"{url}/readyz", timeout=5).status_code == 200
        except httpx.TransportError:
            ready = False
        if ready and log_path.read_text(errors="replace").count("Application startup complete") >= workers:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the server at {url} was not ready within {READY_TIMEOUT:.0f} s")


@contextmanager
def running_server(settings: Settings, log_path: Path, workers: int) -> Iterator[str]:
    """`copmatch serve --workers N` on a free loopback port for `settings`; yields its base URL
    once every worker answers (each loads the encoder and the index)."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "copmatch"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log_path.open("w") as output:
        server = subprocess.Popen(command, env=serving_env(settings), stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, server, log_path, workers)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def _app_seconds(session) -> tuple[float, float]:
    """(total seconds, requests) of /v1/experts as the app's Prometheus histogram counts them."""
    from prometheus_client.parser import text_string_to_metric_families

    async with session.get("/metrics") as response:
        text = await response.text()
    found = {"sum": 0.0, "count": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            suffix = sample.name.removeprefix("copmatch_request_seconds_")
            if suffix in found and sample.labels.get("route") == "/v1/experts":
                found[suffix] = sample.value
    return found["sum"], found["count"]


async def _drive(url: str, key: str, texts: list[str], concurrency: int, seconds: float) -> Load:
    """Sequential requests on one connection, then `concurrency` connections kept busy."""
    import aiohttp

    bodies = [json.dumps({"text": text, "k": K}).encode() for text in texts]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(url, headers=headers, connector=connector) as session:

        async def post(i: int) -> float:
            started = time.perf_counter()
            async with session.post("/v1/experts", data=bodies[i % len(bodies)]) as response:
                body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"/v1/experts answered {response.status}: {body[:300]!r}")
            return time.perf_counter() - started

        for i in range(WARMUP):
            await post(i)
        before = await _app_seconds(session)
        sequential = [await post(WARMUP + i) for i in range(SEQUENTIAL)]
        after = await _app_seconds(session)
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(offset: int) -> list[float]:
            timings: list[float] = []
            while time.perf_counter() < deadline:
                timings.append(await post(offset + len(timings) * concurrency))
            return timings

        loaded = await asyncio.gather(*(worker(offset) for offset in range(concurrency)))
        elapsed = time.perf_counter() - started
    server_mean = (after[0] - before[0]) / max(after[1] - before[1], 1)
    return Load(sequential, server_mean, [t for part in loaded for t in part], elapsed, concurrency)


def drive(url: str, key: str, texts: list[str], concurrency: int, seconds: float) -> Load:
    """The client (run in its own process, on uvloop): see `_drive`."""
    import uvloop

    return uvloop.run(_drive(url, key, texts, concurrency, seconds))


def breakdown(settings: Settings, questions: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Per query form, median milliseconds of each part of one /v1/experts request, in-process.

    Each query runs every part in turn, with the server's thread settings: encode the query (its
    head and tail when long, as the service does), dense search and BM25 search at the ranker's
    depth, rank_experts (which runs both searches again; "ranking" is what it adds), and
    Recommender.experts, the route's whole work
    ("response" is what it adds to encoding and ranking: reasons, evidence, exposure counts).
    """
    from threadpoolctl import threadpool_limits

    from indexing.job import encoder_options
    from models.encoder import Encoder
    from service.app import build_context

    encoder = Encoder(**encoder_options(settings, settings.torch_threads))
    context = build_context(settings, encoder)
    with threadpool_limits(limits=1):
        return {
            form: _parts(context.recommender, texts[:BREAKDOWN_QUERIES]) for form, texts in questions.items()
        }


def _parts(recommender, texts: list[str]) -> dict[str, float]:
    """Median milliseconds of each part (see `breakdown`) over `texts`, one query at a time, and
    the share of them the static encoder leaves to the model ("model", 1.0 under ModelQueries)."""
    from models.experts import rank_experts
    from models.texts import query_text
    from service.queries import StaticQueries

    snapshot, queries = recommender.holder.get(), recommender.queries
    depth = recommender.weights.fusion.candidates
    steps: dict[str, Callable[[str, np.ndarray], object]] = {
        "encode": lambda text, _: queries.embed_query(snapshot, text),
        "dense": lambda _, vector: snapshot.contribution_index.search(vector[None, :], depth),
        "lexical": lambda text, _: snapshot.lexical.search(text, depth),
        "rank": lambda text, vector: rank_experts(snapshot, vector, text, K, weights=recommender.weights),
        "total": lambda text, _: recommender.experts(text, K),
    }
    timings: dict[str, list[float]] = {name: [] for name in [*steps, "ranking", "response"]}
    for text in texts:
        vector = queries.embed_query(snapshot, text)
        for name, step in steps.items():
            started = time.perf_counter()
            step(text, vector)
            timings[name].append(1000 * (time.perf_counter() - started))
        timings["ranking"].append(timings["rank"][-1] - timings["dense"][-1] - timings["lexical"][-1])
        timings["response"].append(timings["total"][-1] - timings["encode"][-1] - timings["rank"][-1])
    medians = {name: statistics.median(values) for name, values in timings.items()}
    model = [
        not isinstance(queries, StaticQueries)
        or snapshot.query_encoder.encode_query(query_text(text, queries.max_tokens)) is None
        for text in texts
    ]
    return medians | {"total_mean": statistics.mean(timings["total"]), "model": statistics.mean(model)}


@dataclass
class Result:
    """One size and query form: the index served, the load figures and the breakdown."""

    size: str
    queries: str
    contributions: int
    index: str
    version_mb: float
    load: Load
    parts: dict[str, float]


def bench_size(
    size: str,
    settings: Settings,
    questions: dict[str, list[str]],
    load: tuple[int, int, float],
) -> list[Result]:
    """Serve `settings`' home with `workers` processes, keep `concurrency` requests in flight for
    `seconds` with each query form, then time the parts in-process; `load` is those three."""
    workers, concurrency, seconds = load
    from evaluation.benchmarks.indexing import version_size
    from indexing.versions import published_dir, read_manifest
    from store.db import open_store
    from store.keys import create_key

    directory = published_dir(settings.index_dir)
    manifest = read_manifest(directory)
    version_mb = version_size(directory)[0] / 1e6
    key = create_key(open_store(settings), name="bench", role="reader", replace=True)
    spawn = multiprocessing.get_context("spawn")
    loads = {}
    with running_server(settings, settings.home / "bench-server.log", workers) as url:
        with ProcessPoolExecutor(1, mp_context=spawn) as client:
            for form, texts in questions.items():
                loads[form] = client.submit(drive, url, key, texts, concurrency, seconds).result()
    parts = breakdown(settings, questions)
    return [
        Result(
            size,
            form,
            manifest["counts"]["contributions"],
            manifest["index"]["type"],
            version_mb,
            loads[form],
            parts[form],
        )
        for form in questions
    ]


def load_table(results: list[Result]) -> list[str]:
    """Markdown: size, contributions, index type, version size, queries, p50, p99, requests/s."""
    lines = [
        "| size | contributions | index | version MB | queries | p50 ms | p99 ms | req/s | "
        "p50 ms in flight |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ms = [1000 * t for t in r.load.sequential]
        loaded = [1000 * t for t in r.load.loaded]
        lines.append(
            f"| {r.size} | {r.contributions:,} | {r.index} | {r.version_mb:.1f} | {r.queries} | "
            f"{percentile(ms, 50):.1f} | {percentile(ms, 99):.1f} | "
            f"{r.load.per_second:.0f} ({r.load.concurrency} in flight) | "
            f"{percentile(loaded, 50):.1f} |"
        )
    return lines


def breakdown_table(results: list[Result]) -> list[str]:
    """Markdown: median ms of each part of one request, then mean ms of the whole request seen
    in-process, inside the app (its /metrics) and by the client, whose differences are the
    web framework's and the HTTP transport's share."""
    lines = [
        "| size | queries | embedded by the model | encode | dense | lexical | ranking | response | "
        "in-process p50 | in-process mean | app mean | client mean |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = r.parts
        lines.append(
            f"| {r.size} | {r.queries} | {p['model']:.0%} | {p['encode']:.2f} | {p['dense']:.2f} | "
            f"{p['lexical']:.2f} | {p['ranking']:.2f} | {p['response']:.2f} | {p['total']:.2f} | "
            f"{p['total_mean']:.2f} | {1000 * r.load.server_mean:.2f} | "
            f"{1000 * statistics.mean(r.load.sequential):.2f} |"
        )
    return lines


def main(
    size: Annotated[list[str] | None, typer.Option(help="demo or 1m, repeatable; default both")] = None,
    encoder_path: Annotated[str, typer.Option(help="encoder path the server runs")] = DEFAULT_ENCODER_PATH,
    query_encoder: Annotated[str, typer.Option(help="static or model: how queries are embedded")] = (
        Settings.model_fields["query_encoder"].default
    ),
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="requests in flight")] = 4,
    workers: Annotated[int, typer.Option(min=1, max=64, help="service processes")] = 2,
    seconds: Annotated[float, typer.Option(min=1, max=120, help="concurrent phase")] = 20.0,
    demo_home: Annotated[Path, typer.Option(help="home of the demo index (kept)")] = DEMO_HOME,
    synthetic_home: Annotated[Path, typer.Option(help="home of the 1M index (kept)")] = SYNTHETIC_HOME,
) -> None:
    """Print the load table and the per-request breakdown for each size."""
    logging.basicConfig(level=logging.WARNING)
    size = size or list(SIZES)
    if not set(size) <= set(SIZES):
        raise typer.BadParameter(f"{size}: choose from {SIZES}", param_hint="--size")
    if encoder_path not in get_args(EncoderPath):
        raise typer.BadParameter(f"choose from {get_args(EncoderPath)}", param_hint="--encoder-path")
    if query_encoder not in get_args(QueryEncoder):
        raise typer.BadParameter(f"choose from {get_args(QueryEncoder)}", param_hint="--query-encoder")
    questions = benchmark_questions()
    load_before = os.getloadavg()
    results: list[Result] = []
    for name in size:
        if name == "demo":
            settings = prepare_demo(demo_home, encoder_path, query_encoder)  # type: ignore[arg-type]
        else:
            settings = prepare_synthetic(synthetic_home, encoder_path, query_encoder)  # type: ignore[arg-type]
        results += bench_size(name, settings, questions, (workers, concurrency, seconds))
    counts = " and ".join(f"{len(texts)} {form}" for form, texts in questions.items())
    typer.echo(
        f"POST /v1/experts, k={K}, test questions: {counts}; encoder "
        f"{encoder_path}, queries embedded by the {query_encoder} encoder, {workers} service processes, "
        f"1 thread each; {os.cpu_count()} cores, load average "
        f"{load_before[0]:.1f} before and {os.getloadavg()[0]:.1f} after (shared machine)"
    )
    typer.echo(
        f"{SEQUENTIAL} sequential requests after {WARMUP} warm-up ones; then "
        f"{concurrency} in flight for {seconds:.0f} s. {GOAL}.\n"
    )
    typer.echo("\n".join(load_table(results)))
    typer.echo(
        "\nOne request, ms (embedded by the model: share of the queries the static encoder leaves to "
        "the model; parts: in-process medians; ranking = rank_experts beyond its two "
        "searches, response = explanations, evidence, exposure; app mean - in-process mean = "
        "FastAPI: auth, validation, metrics, thread hand-offs; client mean - app mean = uvicorn, "
        "loopback TCP, aiohttp):\n"
    )
    typer.echo("\n".join(breakdown_table(results)))


if __name__ == "__main__":
    typer.run(main)
