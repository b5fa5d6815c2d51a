"""`copmatch serve`."""

import typer


def serve() -> None:
    """Not built yet."""
    raise typer.Exit(1)
