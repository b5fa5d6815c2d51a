"""`copmatch serve`: run the query service."""

import json
import os
import shlex
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

import typer

if TYPE_CHECKING:
    import uvicorn

    from store.settings import Settings

EXAMPLE_QUESTION = (
    "Our Kafka producer fails with 'Schema being registered is incompatible with an earlier schema' "
    "after we added an Avro field. Who can help?"
)


class _ServerOptions(TypedDict):
    """The uvicorn options shared by one process and several workers."""

    host: str
    port: int
    log_level: str
    loop: Literal["uvloop"]
    http: Literal["httptools"]
    proxy_headers: bool


def _example(host: str, port: int, key: str) -> str:
    """A ready-to-paste request against the running service."""
    body = json.dumps({"text": EXAMPLE_QUESTION, "k": 3})
    return (
        f"curl -s -X POST http://{host}:{port}/v1/experts \\\n"
        f"  -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\\n"
        f"  -d {shlex.quote(body)}"
    )


def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="TCP port"),
    workers: int | None = typer.Option(
        None, min=1, max=64, help="service processes (default COPMATCH_WORKERS, 1)"
    ),
    demo_key: bool = typer.Option(
        False,
        "--demo-key",
        help="print an example request with the reader key 'demo' (made on the first run, kept after)",
    ),
    migrate: bool = typer.Option(
        False, "--migrate", help="first migrate the store's schema (as `copmatch db upgrade` does)"
    ),
) -> None:
    """Serve the HTTP API over the current index version (reloaded when a new one is published)."""
    import uvicorn

    from service.app import create_app
    from store.db import StoreSchemaError, connect_store, upgrade_store
    from store.settings import Settings

    settings = Settings()
    if migrate:
        upgrade_store(settings)
    try:
        connect_store(settings)  # the schema check, before any process starts serving
        banner = (
            f"Try it (reader key 'demo'):\n{_example(host, port, _demo_key(settings))}" if demo_key else ""
        )
    except StoreSchemaError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    # proxy_headers off: the web app checks the connection's own peer against its trusted proxies
    options = _ServerOptions(
        host=host, port=port, log_level="info", loop="uvloop", http="httptools", proxy_headers=False
    )
    processes = workers or settings.workers
    if processes == 1:
        server = uvicorn.Server(uvicorn.Config(create_app(settings), access_log=False, **options))
        threading.Thread(target=_announce, args=(server, host, port, banner), daemon=True).start()
        server.run()
        return
    _metrics_folder(settings.home / "metrics")
    if banner:
        typer.echo(banner)
    uvicorn.run("service.app:create_app", factory=True, workers=processes, **options)


def _announce(server: "uvicorn.Server", host: str, port: int, banner: str) -> None:
    """Once the server listens, print where, and the example request last, so it stays on screen."""
    while not server.started and not server.should_exit:
        time.sleep(0.05)
    if server.started:
        typer.echo(f"\ncopmatch is serving on http://{host}:{port} (Ctrl+C stops it)\n{banner}".rstrip())


def _demo_key(settings: "Settings") -> str:
    """The demo reader key of an earlier run (kept in COPMATCH_HOME/demo-key, owner-only), or a new one
    when there is none or it was revoked or rotated, so a failed start never invalidates a printed key."""
    from store.db import connect_store
    from store.keys import create_key, find_key

    sessions = connect_store(settings)
    path = settings.home / "demo-key"
    key = path.read_text().strip() if path.is_file() else ""
    if key and find_key(sessions, key):
        return key
    key = create_key(sessions, name="demo", role="reader", replace=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(key + "\n")
    return key


def _metrics_folder(folder: Path) -> None:
    """An empty folder for the processes' Prometheus samples, named in the environment they inherit."""
    from service.metrics import MULTIPROCESS_ENV

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[MULTIPROCESS_ENV] = str(folder.resolve())
