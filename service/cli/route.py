"""`copmatch route`: suggest experts for questions left unanswered, and record what came of it."""

import typer

from indexing.schedule import parse_interval, run_every
from store.settings import Settings


def route(
    every: str | None = typer.Option(
        None, "--every", metavar="INTERVAL", help="run a pass on a schedule until interrupted: 30s, 15m, 2h"
    ),
) -> None:
    """Settle earlier suggestions' outcomes as feedback, then route unanswered questions to experts
    (Slack with COPMATCH_SLACK_BOT_TOKEN, else written here)."""
    from service.routing_setup import build_router
    from service.snapshots import NoIndexError

    try:
        seconds = parse_interval(every) if every else None
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--every") from error
    router = build_router(Settings(), typer.echo)
    try:
        if seconds is None:
            typer.echo(router.run().line())
        else:
            run_every(seconds, lambda: typer.echo(router.run().line()))
    except NoIndexError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    except KeyboardInterrupt:
        if seconds is None:
            raise
        typer.echo("stopped")
