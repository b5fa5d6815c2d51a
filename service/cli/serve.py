"""`copmatch serve`: run the query service."""

import json
import os
import shlex
import shutil
from pathlib import Path

import typer

EXAMPLE_QUESTION = (
    "Our Kafka producer fails with 'Schema being registered is incompatible with an earlier schema' "
    "after we added an Avro field. Who can help?"
)


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
        False, "--demo-key", help="create a fresh reader key 'demo' and print an example request"
    ),
) -> None:
    """Serve the HTTP API over the current index version (reloaded when a new one is published)."""
    import uvicorn

    from service.app import create_app
    from store.db import open_store
    from store.keys import create_key
    from store.settings import Settings

    settings = Settings()
    if demo_key:
        key = create_key(open_store(settings), name="demo", role="reader", replace=True)
        typer.echo("Try it (reader key 'demo', shown once):\n" + _example(host, port, key))
    options = {"host": host, "port": port, "log_level": "info", "loop": "uvloop", "http": "httptools"}
    processes = workers or settings.workers
    if processes == 1:
        uvicorn.run(create_app(settings), **options)
        return
    _metrics_folder(settings.home / "metrics")
    uvicorn.run("service.app:create_app", factory=True, workers=processes, **options)


def _metrics_folder(folder: Path) -> None:
    """An empty folder for the processes' Prometheus samples, named in the environment they inherit."""
    from service.metrics import MULTIPROCESS_ENV

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ[MULTIPROCESS_ENV] = str(folder.resolve())
