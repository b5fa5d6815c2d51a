"""A reindex published while queries run fails none of them, and the new version is picked up."""

import shutil
import threading
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.app import build_context, create_app
from store.db import open_store, transaction, upgrade_store
from store.keys import create_key
from store.settings import Settings
from store.tables import Contribution

pytestmark = pytest.mark.slow


@pytest.fixture
def live(demo, encoder, tmp_path):  # type: ignore[no-untyped-def]
    """A private copy of the indexed demo home, served by its own app."""
    settings, truth = demo
    shutil.copytree(settings.home, tmp_path / "home")
    own = Settings(home=tmp_path / "home", encoder_path="fp32", _env_file=None)  # no ONNX export in the job
    sessions = open_store(own)
    headers = {"Authorization": "Bearer " + create_key(sessions, name="live", role="admin")}
    app = create_app(context=build_context(own, encoder))
    with TestClient(app) as client:
        yield client, headers, sessions, truth


def test_reindex_during_queries_fails_none(live) -> None:
    client, headers, sessions, truth = live
    question = next(iter(truth["topics"].values()))["sample_questions"][0]
    with transaction(sessions) as session:
        first = session.scalars(select(Contribution).limit(1)).one()
        first.body += " Update: the same fix also works after the 2026 upgrade."
        first.updated_at = datetime.now(UTC)
    statuses: list[int] = []
    versions: set[int] = set()
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            response = client.post("/v1/experts", json={"text": question, "k": 3}, headers=headers)
            statuses.append(response.status_code)
            if response.status_code == 200:
                versions.add(response.json()["index_version"])

    workers = [threading.Thread(target=ask) for _ in range(3)]
    for worker in workers:
        worker.start()
    assert client.post("/v1/admin/reindex", headers=headers).status_code == 202
    deadline = time.monotonic() + 300  # a separate process: it loads the model itself
    while client.get("/v1/admin/index", headers=headers).json()["reindex_running"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert client.get("/v1/admin/index", headers=headers).json()["last_build"]["status"] == "done"
    time.sleep(1.5)  # longer than the holder's check interval
    stop.set()
    for worker in workers:
        worker.join()
    assert statuses and set(statuses) == {200}
    assert client.get("/v1/admin/index", headers=headers).json()["version"] == 2
    assert (
        2 in versions
        or client.post("/v1/experts", json={"text": question}, headers=headers).json()["index_version"] == 2
    )


def test_readyz_is_503_without_an_index(tmp_path, encoder) -> None:
    settings = Settings(home=tmp_path, _env_file=None)
    upgrade_store(settings)
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "copmatch index" in response.json()["error"]["message"]
