"""The live layer across processes: an opt-out made through one `copmatch serve` is served by another one
on the same SQLite store and index within 2 seconds, on every route that can return a member."""

import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from models.encoder import Encoder
from service.app import build_context, create_app
from store.db import open_store, transaction
from store.keys import create_key
from store.tables import MemberPreference
from tests.service.appearances import SHOWN_IN, shown_everywhere, shown_in, slack_text
from tests.service.servers import free_port, wait_ready

pytestmark = pytest.mark.slow
log = logging.getLogger(__name__)
SECRET = "live-layer-test-signing-secret"
WITHIN = 2.0


def _serve(home: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPMATCH_")}
    env |= {
        "COPMATCH_HOME": str(home),
        "COPMATCH_TORCH_THREADS": "1",
        "COPMATCH_SLACK_SIGNING_SECRET": SECRET,
    }
    command = [str(Path(sys.executable).parent / "copmatch"), "serve", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_an_opt_out_reaches_another_process_within_two_seconds(demo, encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source, truth = demo
    home = tmp_path / "home"
    shutil.copytree(source.home, home)
    settings = source.model_copy(update={"home": home, "slack_signing_secret": SECRET})
    sessions = open_store(settings)
    with transaction(sessions) as session:
        session.execute(delete(MemberPreference))
    admin = _headers(create_key(sessions, name="live-admin", role="admin", replace=True))
    reader = _headers(create_key(sessions, name="live-reader", role="reader", replace=True))
    with TestClient(create_app(context=build_context(settings, encoder))) as local:
        member, question, _, newcomers = shown_everywhere(local, admin, truth)
        name = local.get(f"/v1/members/{member}", headers=admin).json()["name"]
    own = _headers(create_key(sessions, name="live-member", role="reader", member_id=member, replace=True))
    Encoder(path="onnx-int8", cache_dir=home / "encoders")  # export once, not in each process

    ports = [free_port(), free_port()]
    servers = [_serve(home, port) for port in ports]
    first, second = (httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=60) for p in ports)
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_ready(f"http://127.0.0.1:{port}", server)
        assert shown_in(second, reader, member, question, newcomers) == set(SHOWN_IN)
        for command in ("/experts", "/solutions"):
            assert name in slack_text(second, SECRET, command, question)

        changed = first.patch(f"/v1/members/{member}/preferences", json={"discoverable": False}, headers=own)
        assert changed.status_code == 200, changed.text
        started = time.monotonic()  # the profile answers from the same live view as every other route
        while second.get(f"/v1/members/{member}", headers=reader).status_code == 200:
            if time.monotonic() - started > 5 * WITHIN:
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - started
        log.warning("the other process served the opt-out after %.2f s", elapsed)
        assert elapsed <= WITHIN, f"the other process still showed the member after {elapsed:.1f} s"
        assert shown_in(second, reader, member, question, newcomers) == set()
        for command in ("/experts", "/solutions"):
            assert name not in slack_text(second, SECRET, command, question)
        assert shown_in(first, reader, member, question, newcomers) == set()
        assert second.get(f"/v1/members/{member}", headers=own).status_code == 200  # still theirs to see
    finally:
        first.close()
        second.close()
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=60)
