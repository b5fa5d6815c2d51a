"""Two `copmatch serve` replicas on one index folder and one PostgreSQL: both move to a newly
published version while answering, and load-spreading counts recorded via one reach the other.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from indexing.job import run_index
from models.encoder import Encoder
from store.db import open_store, transaction
from store.importers.bundle import import_bundle
from store.keys import create_key
from store.settings import Settings
from store.tables import Contribution
from tests.service.servers import free_port, wait_ready

pytestmark = pytest.mark.slow
SYNC_SECONDS = 1.0


def _serve(home: Path, database_url: str) -> tuple[subprocess.Popen, str]:
    """Start one replica (its own process and port) on the shared home and database."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPMATCH_")}
    env |= {
        "COPMATCH_HOME": str(home),
        "COPMATCH_DATABASE_URL": database_url,
        "COPMATCH_TORCH_THREADS": "1",
        "COPMATCH_EXPOSURE_SYNC_SECONDS": str(SYNC_SECONDS),
    }
    command = [str(Path(sys.executable).parent / "copmatch"), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture
def replicas(demo, encoder, postgres_url, tmp_path) -> Iterator[tuple[list[str], dict, Settings, str]]:  # type: ignore[no-untyped-def]
    """(replica URLs, admin headers, shared settings, a question) of two replicas serving the demo."""
    settings = Settings(home=tmp_path / "shared", database_url=postgres_url, _env_file=None)
    shutil.copytree(demo[0].index_dir, settings.index_dir)  # its vectors are reused, not re-embedded
    import_bundle(open_store(settings), demo[0].home / "bundle")
    run_index(settings, encoder=encoder, progress=False)
    Encoder(path="onnx-int8", cache_dir=settings.home / "encoders")  # export once, not in each replica
    key = create_key(open_store(settings), name="replicas", role="admin")
    started = [_serve(settings.home, postgres_url) for _ in range(2)]
    try:
        for server, url in started:
            wait_ready(url, server)
        question = next(iter(demo[1]["topics"].values()))["sample_questions"][0]
        yield [url for _, url in started], {"Authorization": f"Bearer {key}"}, settings, question
    finally:
        for server, _ in started:
            server.terminate()
        for server, _ in started:
            server.wait(timeout=60)


def _recommended(url: str, headers: dict) -> dict[str, int]:
    """Member -> recommendations in the window, as the replica at `url` counts them."""
    body = httpx.get(f"{url}/v1/admin/exposures", params={"limit": 1000}, headers=headers, timeout=30)
    assert body.status_code == 200, body.text
    return {m["member_id"]: m["recommended"] for m in body.json()["members"]}


def _publish_an_edit(settings: Settings, encoder: Encoder) -> int:
    """Edit one contribution in the shared store and publish the next version; returns its number."""
    with transaction(open_store(settings)) as session:
        first = session.scalars(select(Contribution).order_by(Contribution.id).limit(1)).one()
        first.body += " Update: the same fix also works after the 2026 upgrade."
        first.updated_at = datetime.now(UTC)
    return run_index(settings, encoder=encoder, progress=False).version


def test_both_replicas_move_to_a_new_version_while_answering(replicas, encoder) -> None:  # type: ignore[no-untyped-def]
    urls, headers, settings, question = replicas
    before = {httpx.get(f"{url}/readyz", timeout=30).json()["index_version"] for url in urls}
    answers: dict[str, list[tuple[int, int | None]]] = {url: [] for url in urls}
    stop = threading.Event()

    def ask(url: str) -> None:
        while not stop.is_set():
            response = httpx.post(f"{url}/v1/experts", json={"text": question}, headers=headers, timeout=60)
            version = response.json().get("index_version") if response.status_code == 200 else None
            answers[url].append((response.status_code, version))

    askers = [threading.Thread(target=ask, args=(url,)) for url in urls]
    for asker in askers:
        asker.start()
    try:
        published = _publish_an_edit(settings, encoder)
        deadline = time.monotonic() + 60
        while not all(answers[url] and answers[url][-1][1] == published for url in urls):
            assert time.monotonic() < deadline, "a replica never served the new version"
            time.sleep(0.2)
    finally:
        stop.set()
        for asker in askers:
            asker.join()
    assert len(before) == 1 and published == before.pop() + 1
    for url in urls:
        statuses = {status for status, _ in answers[url]}
        versions = [version for _, version in answers[url]]
        assert statuses == {200}, url
        assert versions == sorted(versions) and set(versions) <= {published - 1, published}, url


def test_an_exposure_recorded_via_one_replica_is_seen_by_the_other(replicas) -> None:  # type: ignore[no-untyped-def]
    (first, second), headers, _, question = replicas
    seen_before = _recommended(second, headers)
    asked = 3
    for _ in range(asked):
        experts = httpx.post(f"{first}/v1/experts", json={"text": question}, headers=headers, timeout=60)
        assert experts.status_code == 200
    member = experts.json()["experts"][0]["member_id"]
    deadline = time.monotonic() + 10 * SYNC_SECONDS + 20
    while _recommended(second, headers).get(member, 0) < seen_before.get(member, 0) + 1:
        assert time.monotonic() < deadline, "the second replica never saw the first one's counts"
        _recommended(first, headers)  # a request on the first replica starts its due sync
        time.sleep(SYNC_SECONDS / 2)
    assert _recommended(first, headers)[member] >= asked // 2  # the first counts what it showed
