"""`copmatch stats`."""

import typer


def stats() -> None:
    """Not built yet."""
    raise typer.Exit(1)
