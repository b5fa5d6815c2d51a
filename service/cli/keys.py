"""`copmatch keys`: API keys for the query service (create, list, revoke, rotate)."""

from typing import Annotated

import typer

from store.db import open_store
from store.keys import ApiKeyError, Role, create_key, list_keys, revoke_key, rotate_key
from store.settings import Settings

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="Manage API keys.")
NAME = typer.Argument(..., help="the key's name")


def _fail(error: ApiKeyError) -> typer.Exit:
    """Print the error; exit status 2."""
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(2)


@app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="what the key may do: read, or also administer")],
    name: str = typer.Option(..., help="who or what uses the key"),
    member: str | None = typer.Option(
        None, "--member", help="member id the key acts as (their preferences and mentorships)"
    ),
) -> None:
    """Create a key; it is printed once, alone on the last line, and stored only as a hash."""
    try:
        key = create_key(open_store(Settings()), name=name, role=role, member_id=member)
    except ApiKeyError as error:
        raise _fail(error) from error
    bound = f" acting as member {member!r}" if member else ""
    typer.echo(f"created {role} key {name!r}{bound}; it is shown only now:")
    typer.echo(key)


@app.command("list")
def list_() -> None:
    """Every key: name, role, the member it acts as, when its secret was made (never the key)."""
    keys = list_keys(open_store(Settings()))
    if not keys:
        typer.echo("no keys yet: `copmatch keys create --role reader --name NAME`")
    for key in keys:
        typer.echo(f"{key.name}\t{key.role}\t{key.member_id or '-'}\t{key.created_at:%Y-%m-%d %H:%M} UTC")


@app.command("revoke")
def revoke(name: str = NAME) -> None:
    """Delete a key; the service refuses it within a second or two."""
    try:
        revoke_key(open_store(Settings()), name)
    except ApiKeyError as error:
        raise _fail(error) from error
    typer.echo(f"revoked key {name!r}")


@app.command("rotate")
def rotate(name: str = NAME) -> None:
    """Give a key a new secret (same name, role, member); the old secret stops working. Printed once."""
    try:
        key = rotate_key(open_store(Settings()), name)
    except ApiKeyError as error:
        raise _fail(error) from error
    typer.echo(f"rotated key {name!r}; the new secret is shown only now:")
    typer.echo(key)
