"""`copmatch members erase|restore`: erase a member's personal data, or let a later import bring them back."""

import typer

from store.db import open_store
from store.erasure import ErasureError, erase_member, restore_member
from store.preferences import UnknownMemberError
from store.settings import Settings

app = typer.Typer(
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Erase members (right to erasure) and restore erased ids.",
)
MEMBER = typer.Argument(..., help="the member id")


@app.command("erase")
def erase(
    member_id: str = MEMBER,
    with_contributions: bool = typer.Option(
        False, "--with-contributions", help="delete their contributions instead of re-attributing them"
    ),
) -> None:
    """Remove the member's profile and personal data now; the service stops showing them within a
    second, and later imports keep them out until `copmatch members restore`."""
    try:
        report = erase_member(open_store(Settings()), member_id, with_contributions)
    except (ErasureError, UnknownMemberError) as error:
        typer.echo(f"error: {error.args[0]}", err=True)
        raise typer.Exit(2) from error
    typer.echo(
        f"erased member {member_id!r}: {report.contributions_reattributed} contributions re-attributed to "
        f"the erased-member placeholder, {report.contributions_deleted} deleted, "
        f"{report.mentorships_deleted} mentorships and {report.keys_deleted} keys deleted"
    )


@app.command("restore")
def restore(member_id: str = MEMBER) -> None:
    """Forget an erasure: the next import that holds the member brings them back."""
    try:
        restore_member(open_store(Settings()), member_id)
    except ErasureError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"member {member_id!r} is no longer erased; the next import that holds them brings them back")
