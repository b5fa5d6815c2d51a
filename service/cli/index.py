"""`copmatch index`: build, schedule or roll back index versions."""

from typing import Literal

import typer

from indexing.schedule import parse_interval, run_every
from store.settings import Settings

LOCKED_EXIT = 3


def index(
    full: bool = typer.Option(
        False,
        "--full",
        help="re-embed every text (after a model change) instead of reusing vectors",
    ),
    every: str | None = typer.Option(
        None,
        "--every",
        metavar="INTERVAL",
        help="rebuild on a schedule until interrupted: 30s, 15m, 2h",
    ),
    rollback: bool = typer.Option(
        False, "--rollback", help="make the version before the current one current again"
    ),
    executor: Literal["local", "ray"] | None = typer.Option(
        None,
        "--executor",
        help="embed in this process (local) or on Ray (ray; RAY_ADDRESS names the cluster,"
        " none = a local Ray); default: the COPMATCH_INDEX_EXECUTOR setting, else local",
    ),
) -> None:
    """Bring the search index up to date with the store (only new or changed texts are embedded)."""
    from indexing.job import make_index_encoder, run_index
    from indexing.ray_encoder import RayUnavailableError
    from indexing.source import NothingToIndexError
    from indexing.versions import IndexLockedError, IndexVersionError
    from indexing.versions import rollback as roll_back
    from models.encoder import EncoderError

    if rollback and (full or every):
        raise typer.BadParameter("--rollback cannot be combined with --full or --every")
    seconds = _interval(every) if every else None
    settings = Settings(index_executor=executor) if executor else Settings()
    try:
        if rollback:
            typer.echo(f"index v{roll_back(settings.index_dir)} is current again")
        elif seconds is not None:
            encoder = make_index_encoder(settings)  # loaded once, reused by every run
            run_every(seconds, lambda: typer.echo(run_index(settings, full=full, encoder=encoder).line()))
        else:
            typer.echo(run_index(settings, full=full).line())
    except RayUnavailableError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    except IndexLockedError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(LOCKED_EXIT) from error
    except (IndexVersionError, NothingToIndexError, EncoderError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    except KeyboardInterrupt:
        if seconds is None:
            raise
        typer.echo("stopped")


def _interval(text: str) -> float:
    """Seconds of an --every value; a malformed one is a usage error."""
    try:
        return parse_interval(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--every") from error
