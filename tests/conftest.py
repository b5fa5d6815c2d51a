"""Fixtures shared across test packages."""

import pytest
from sqlalchemy.orm import Session, sessionmaker

from models.encoder import Encoder
from store.db import open_store
from store.settings import Settings


@pytest.fixture
def sessions(tmp_path) -> sessionmaker[Session]:  # type: ignore[no-untyped-def]
    """A fresh, migrated SQLite store under tmp_path."""
    return open_store(Settings(home=tmp_path, _env_file=None))


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real sentence encoder, loaded once per test session."""
    return Encoder()
