"""The store opens on SQLite with every table, and migrating twice is harmless."""

from sqlalchemy import inspect

from store.db import make_engine, migrate, open_store
from store.settings import Settings
from store.tables import Base


def test_open_store_creates_every_table(tmp_path):
    sessions = open_store(Settings(home=tmp_path, _env_file=None))
    tables = set(inspect(sessions.kw["bind"]).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert (tmp_path / "copmatch.db").is_file()


def test_migration_is_idempotent(tmp_path, sessions):
    engine = make_engine(Settings(home=tmp_path, _env_file=None).db_url)
    before = {t: inspect(engine).get_columns(t) for t in Base.metadata.tables}
    migrate(engine)
    open_store(Settings(home=tmp_path, _env_file=None))
    after = {t: inspect(engine).get_columns(t) for t in Base.metadata.tables}
    assert [str(c) for c in after.items()] == [str(c) for c in before.items()]
