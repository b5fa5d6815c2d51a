"""Engine and session factory, and the store's schema migrations (Alembic).

One-shot commands that write (import, demo, index, keys) bring the schema up to date as they open
the store; the query service never migrates: it refuses to start on a schema behind the code, so
several service processes never race to migrate (`copmatch db upgrade`, or `serve --migrate`).
"""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from store.settings import Settings

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """WAL lets the service read while an import or index job writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _owner_only_file(path: Path) -> None:
    """Create the SQLite file readable and writable by its owner only (it holds personal data and
    key hashes); SQLite gives its -wal and -shm files the same mode. An existing file is left as is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if str(path) != ":memory:" and not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)  # whatever the umask


def make_engine(url: str) -> Engine:
    """Create an engine for `url`, preparing the SQLite directory when needed."""
    if url.startswith("sqlite:///"):
        _owner_only_file(Path(url.removeprefix("sqlite:///")))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class StoreSchemaError(RuntimeError):
    """The store's schema is not the one this code needs."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def revisions(engine: Engine) -> tuple[str | None, str]:
    """The store's schema revision (None: an empty store) and the newest one the code knows."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations found"
    return current, head


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def upgrade_store(settings: Settings) -> tuple[str | None, str]:
    """Migrate the store named by the settings to the newest revision; returns (before, after)."""
    engine = make_engine(settings.db_url)
    before, head = revisions(engine)
    if before != head:
        migrate(engine)
    return before, head


def open_store(settings: Settings) -> sessionmaker[Session]:
    """Open the store for a one-shot command, migrating its schema first; returns a session factory."""
    engine = make_engine(settings.db_url)
    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)


def connect_store(settings: Settings) -> sessionmaker[Session]:
    """Open the store for the service, which never migrates: StoreSchemaError unless it is up to date."""
    engine = make_engine(settings.db_url)
    current, head = revisions(engine)
    if current != head:
        raise StoreSchemaError(
            f"the store's schema is at revision {current or 'none (an empty store)'}, this copmatch needs"
            f" {head}: run `copmatch db upgrade` (or `copmatch serve --migrate`)"
        )
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with sessions() as session, session.begin():
        yield session
