"""`copmatch demo`: generate the demo organization, write its bundle and import it."""

from pathlib import Path
from typing import Literal

import typer

OUT = typer.Option(None, file_okay=False, help="bundle folder; default: demo-bundle under COPMATCH_HOME")


def demo(
    seed: int = typer.Option(7, help="random seed; the same seed gives the same organization"),
    size: Literal["small", "default"] = typer.Option(
        "default", help="small: ~120 members, ~900 contributions; default: ~300 and ~3,600"
    ),
    out: Path | None = OUT,
    if_empty: bool = typer.Option(False, "--if-empty", help="do nothing when the store already has members"),
) -> None:
    """Generate the seeded demo organization, write it as a bundle and import it into the store."""
    from sqlalchemy import func, select

    from service.demo.generator import generate_demo
    from store.db import open_store
    from store.importers import BundleError
    from store.importers.bundle import import_bundle
    from store.settings import Settings
    from store.tables import Member

    settings = Settings()
    sessions = open_store(settings)
    if if_empty:
        with sessions() as session:
            members = session.scalar(select(func.count()).select_from(Member))
        if members:
            typer.echo(f"store already has {members} members: demo not imported")
            return
    organization = generate_demo(seed=seed, size=size)
    folder = out or settings.home / "demo-bundle"
    organization.write_bundle(folder)
    typer.echo(
        f"demo organization (seed {seed}, {size}): {len(organization.communities)} communities, "
        f"{len(organization.members)} members, {len(organization.contributions)} contributions, "
        f"bundle and truth.json in {folder}"
    )
    try:
        report = import_bundle(sessions, folder)
    except BundleError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    for table, counts in report.tables.items():
        typer.echo(f"{table}: {counts.summary()}")
