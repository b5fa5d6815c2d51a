"""`copmatch serve`: run the query service."""

import json
import shlex

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
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
