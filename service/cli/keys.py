"""`copmatch keys`: API keys for the query service."""

import typer

from store.db import open_store
from store.keys import ROLES, ApiKeyError, create_key
from store.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Manage API keys.")


@app.command("create")
def create(
    role: str = typer.Option(..., help=f"one of: {', '.join(ROLES)}"),
    name: str = typer.Option(..., help="who or what uses the key"),
) -> None:
    """Create a key; it is printed once, alone on the last line, and stored only as a hash."""
    try:
        key = create_key(open_store(Settings()), name=name, role=role)
    except ApiKeyError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"created {role} key {name!r}; it is shown only now:")
    typer.echo(key)
