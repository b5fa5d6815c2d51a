"""The store opens with every table on SQLite and PostgreSQL, migrating twice is harmless, the
migrations match the tables, and the service never migrates."""

import stat
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from service.cli import app
from store.db import StoreSchemaError, connect_store, make_engine, migrate, open_store
from store.settings import Settings
from store.tables import Base, Community


def test_open_store_creates_every_table(store_settings) -> None:  # type: ignore[no-untyped-def]
    engine = open_store(store_settings).kw["bind"]
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if store_settings.database_url is None:
        assert (store_settings.home / "copmatch.db").is_file()
    engine.dispose()


def test_migration_is_idempotent(store_settings, sessions) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(store_settings.db_url)
    before = {t: inspect(engine).get_columns(t) for t in Base.metadata.tables}
    migrate(engine)
    open_store(store_settings).kw["bind"].dispose()
    after = {t: inspect(engine).get_columns(t) for t in Base.metadata.tables}
    assert [str(c) for c in after.items()] == [str(c) for c in before.items()]
    engine.dispose()


def test_store_file_is_readable_by_its_owner_only(tmp_path) -> None:
    sessions = open_store(Settings(home=tmp_path / "home", _env_file=None))
    with sessions() as session, session.begin():
        session.add(Community(id="c", name="C", updated_at=datetime.now(UTC)))
    files = [p for p in (tmp_path / "home").iterdir() if p.name.startswith("copmatch.db")]
    assert any(p.name == "copmatch.db-wal" for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_migrations_build_exactly_the_tables_the_code_declares(store_settings) -> None:  # type: ignore[no-untyped-def]
    """alembic check, as a test: a table or column added without its migration fails here."""
    engine = open_store(store_settings).kw["bind"]
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    engine.dispose()


def test_the_service_refuses_a_store_behind_the_code_until_upgraded(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, _env_file=None)
    with pytest.raises(StoreSchemaError, match="copmatch db upgrade"):
        connect_store(settings)
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and "schema migrated from empty to revision" in result.stdout
    assert "up to date" in CliRunner().invoke(app, ["db", "upgrade"]).stdout
    connect_store(settings).kw["bind"].dispose()
