"""Fixtures shared across test packages: the store on SQLite and on a throwaway PostgreSQL.

`store_settings` (and `sessions` on top of it) runs each store test twice: on a SQLite file and
on a fresh database of one PostgreSQL server started by `pgserver` (a test extra that ships the
binaries) for the whole run. Only where that server cannot start is the PostgreSQL case skipped.
"""

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from models.encoder import Encoder
from store.db import open_store
from store.settings import Settings

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Path]:
    """The data and socket folder of a PostgreSQL server for this test run (skips where it cannot start).

    The folder is its own temporary one: pytest's rotation of old base folders cannot reach it.
    """
    pgserver = pytest.importorskip("pgserver")
    pytest.importorskip("psycopg")
    folder = Path(tempfile.mkdtemp(prefix="copmatch-pg-"))
    try:
        server = pgserver.get_server(folder, cleanup_mode="stop")
    except Exception as error:  # any failure to start means there is no server to test on
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL did not start: {error}")
    yield folder
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: Path) -> str:
    """The SQLAlchemy URL of a new, empty database on the run's PostgreSQL server."""
    import psycopg

    name = f"test_{next(_databases)}"
    with psycopg.connect(f"host={postgres_server} user=postgres dbname=postgres", autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://postgres:@/{name}?host={postgres_server}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_settings(request, tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    """Settings of an empty store under tmp_path: a SQLite file, or a PostgreSQL database."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return Settings(home=tmp_path, database_url=url, _env_file=None)


@pytest.fixture
def sessions(store_settings) -> Iterator[sessionmaker[Session]]:  # type: ignore[no-untyped-def]
    """A fresh, migrated store (SQLite and PostgreSQL in turn); its connections closed after."""
    factory = open_store(store_settings)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real sentence encoder, loaded once per test session (bf16: no ONNX export per session)."""
    return Encoder(path="bf16")
