"""A small demo organization, imported and indexed once, served by an in-process app.

Load spreading is off in these settings, so what one test is recommended never demotes anyone in
the next and the tests pass in any order; a test about load spreading builds its own app with it on.
"""

import pytest
from fastapi.testclient import TestClient

from service.app import build_context, create_app
from store.db import open_store
from store.keys import create_key
from store.settings import Settings
from tests.demo_home import indexed_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory, encoder):  # type: ignore[no-untyped-def]
    """(settings, truth) of an indexed small demo organization (load spreading off)."""
    home = tmp_path_factory.mktemp("demo-home")
    settings = Settings(home=home, load_spreading=False, _env_file=None)
    return settings, indexed_demo(settings, encoder)


@pytest.fixture(scope="session")
def app_client(demo, encoder):  # type: ignore[no-untyped-def]
    settings, _ = demo
    app = create_app(context=build_context(settings, encoder))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def keys(demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    sessions = open_store(demo[0])
    return {
        "reader": create_key(sessions, name="test-reader", role="reader", replace=True),
        "admin": create_key(sessions, name="test-admin", role="admin", replace=True),
    }


@pytest.fixture
def reader(keys) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {keys['reader']}"}


@pytest.fixture
def admin(keys) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {keys['admin']}"}


@pytest.fixture(scope="session")
def member_headers(demo):  # type: ignore[no-untyped-def]
    """headers(member_id): the Authorization header of a reader key bound to that member."""
    sessions, made = open_store(demo[0]), {}

    def headers(member_id: str) -> dict[str, str]:
        if member_id not in made:
            key = create_key(
                sessions, name=f"member-{member_id}", role="reader", member_id=member_id, replace=True
            )
            made[member_id] = {"Authorization": f"Bearer {key}"}
        return made[member_id]

    return headers
