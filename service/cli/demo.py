"""`copmatch demo`."""

import typer


def demo() -> None:
    """Not built yet."""
    raise typer.Exit(1)
