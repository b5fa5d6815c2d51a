"""The `copmatch` command line: one sub-module per command group, plus the groups that other packages
register under the `copmatch.commands` entry point (`evaluate` comes from `evaluation`)."""

import logging
from importlib.metadata import entry_points

import typer

from service.cli import db, demo, importing, index, keys, members, route, serve, stats

log = logging.getLogger(__name__)

app = typer.Typer(
    rich_markup_mode=None,
    help="copmatch: who knows what in your communities of practice.",
    no_args_is_help=True,
)
app.add_typer(db.app, name="db")
app.add_typer(importing.app, name="import")
app.add_typer(keys.app, name="keys")
app.add_typer(members.app, name="members")
app.command("demo")(demo.demo)
app.command("stats")(stats.stats)
app.command("index")(index.index)
app.command("serve")(serve.serve)
app.command("route")(route.route)


def _add_registered_groups(parent: typer.Typer) -> None:
    """Add each command group registered under `copmatch.commands`; one that fails to import is
    left out with a warning, so the service's commands work without the packages it needs."""
    for entry in entry_points(group="copmatch.commands"):
        try:
            parent.add_typer(entry.load(), name=entry.name)
        except ImportError as error:
            log.warning("copmatch %s is unavailable: %s", entry.name, error)


_add_registered_groups(app)


QUIET = ("alembic", "faiss", "httpx")  # their INFO lines look like errors to a new user; -v shows them


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="debug logging")) -> None:
    """Set up logging for every command."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
