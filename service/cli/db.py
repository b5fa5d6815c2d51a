"""`copmatch db`: the store's schema migrations, an explicit step before the service starts."""

import typer

app = typer.Typer(rich_markup_mode=None, no_args_is_help=True, help="The store's schema.")


@app.command("upgrade")
def upgrade() -> None:
    """Migrate the store's schema to the newest revision (the service itself never migrates)."""
    from store.db import upgrade_store
    from store.settings import Settings

    settings = Settings()
    before, head = upgrade_store(settings)
    where = settings.store_location
    if before == head:
        typer.echo(f"store {where}: schema up to date (revision {head})")
    else:
        typer.echo(f"store {where}: schema migrated from {before or 'empty'} to revision {head}")
