"""`copmatch index`."""

import typer


def index() -> None:
    """Not built yet."""
    raise typer.Exit(1)
