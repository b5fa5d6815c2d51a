"""Fixtures: settings under tmp_path, a store with the small fake organization, a fake encoder."""

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.db import open_store
from store.settings import Settings
from tests.indexing.fakes import FakeEncoder, populate


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    for name in ("DATABASE_URL", "COPMATCH_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return Settings(home=tmp_path, keep_versions=3, _env_file=None)


@pytest.fixture
def sessions(settings) -> sessionmaker[Session]:
    factory = open_store(settings)
    populate(factory)
    return factory


@pytest.fixture
def encoder() -> FakeEncoder:
    return FakeEncoder()
