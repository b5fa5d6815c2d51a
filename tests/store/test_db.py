"""The store opens with every table on SQLite and PostgreSQL, and migrating twice is harmless."""

import stat
from datetime import UTC, datetime

from sqlalchemy import inspect, text

from store.db import make_engine, migrate, open_store
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
