"""`copmatch import`: bring a bundle, a StackExchange dump, a Slack export or a Discourse forum
into the store."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from store.importers import ImportReport

Importer = Callable[["sessionmaker[Session]"], "ImportReport"]

app = typer.Typer(
    rich_markup_mode=None, no_args_is_help=True, help="Import communities, members and contributions."
)

FOLDER = typer.Argument(..., exists=True, file_okay=False, help="folder to import")
EXPORT = typer.Argument(..., exists=True, help="the workspace export: its ZIP or unpacked folder")


@app.command("bundle")
def bundle(
    path: Path = FOLDER,
    prune: bool = typer.Option(
        False, "--prune", help="delete contributions of the bundle's communities that it lacks"
    ),
) -> None:
    """Import an organization bundle (JSON Lines; see the bundle format)."""
    from store.importers.bundle import import_bundle

    _run(lambda sessions: import_bundle(sessions, path, prune=prune))


@app.command("stackexchange")
def stackexchange(
    path: Path = FOLDER,
    site: str | None = typer.Option(None, help="site community id; default: the folder name"),
) -> None:
    """Import a StackExchange data dump folder (Posts.xml, Users.xml, Tags.xml)."""
    from store.importers.stackexchange import import_stackexchange

    _run(lambda sessions: import_stackexchange(sessions, path, site=site))


@app.command("slack")
def slack(
    path: Path = EXPORT,
    channels: str | None = typer.Option(None, help="glob on channel names, e.g. 'data-*'"),
    accept_reactions: str = typer.Option(
        "white_check_mark,heavy_check_mark",
        help="reactions by a thread's starter that mark a reply accepted (comma-separated)",
    ),
) -> None:
    """Import a Slack workspace export (users.json, channels.json, CHANNEL/YYYY-MM-DD.json)."""
    from store.importers.slack import import_slack

    reactions = [name.strip().strip(":") for name in accept_reactions.split(",") if name.strip()]
    _run(lambda sessions: import_slack(sessions, path, channels=channels, accept_reactions=reactions))


@app.command("discourse")
def discourse(
    url: str = typer.Argument(..., help="the forum's base URL, e.g. https://forum.example.org"),
    api_key: str | None = typer.Option(None, help="an API key; default COPMATCH_DISCOURSE_API_KEY"),
    api_username: str | None = typer.Option(None, help="the user the key acts as (default: system)"),
    categories: str | None = typer.Option(None, help="category slugs, comma-separated (default: all)"),
    concurrency: int = typer.Option(4, min=1, max=32, help="requests in flight at once"),
) -> None:
    """Import a Discourse forum through its REST API; later runs fetch only what changed."""
    from store.importers.discourse import import_discourse
    from store.importers.discourse_client import DiscourseClient
    from store.settings import Settings

    key = api_key or Settings().discourse_api_key
    slugs = [slug.strip() for slug in categories.split(",") if slug.strip()] if categories else None
    _run(
        lambda sessions: import_discourse(
            sessions, DiscourseClient(url, key, api_username, concurrency), slugs
        )
    )


def _run(importer: Importer) -> None:
    """Open the store, run the importer, print one line per table; exit 2 on a bad input."""
    from store.db import open_store
    from store.importers import BundleError
    from store.settings import Settings

    started = time.perf_counter()
    try:
        report = importer(open_store(Settings()))
    except BundleError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    for table, counts in report.tables.items():
        typer.echo(f"{table}: {counts.summary()}")
    typer.echo(f"done in {time.perf_counter() - started:.1f} s")
