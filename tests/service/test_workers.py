"""`copmatch serve --workers 2`: two processes answer, and /metrics counts the requests of both."""

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from models.encoder import Encoder
from store.db import open_store
from store.keys import create_key
from store.settings import Settings
from tests.service.servers import free_port, wait_ready

pytestmark = pytest.mark.slow
REQUESTS = 24


def _experts_requests(metrics: str) -> float:
    """Sum of copmatch_requests_total samples of POST /v1/experts."""
    samples = [line for line in metrics.splitlines() if line.startswith("copmatch_requests_total{")]
    return sum(float(line.rsplit(" ", 1)[1]) for line in samples if 'route="/v1/experts"' in line)


def test_two_workers_share_metrics(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings, truth = demo
    home = tmp_path / "home"
    shutil.copytree(settings.home, home)
    Encoder(path="onnx-int8", cache_dir=home / "encoders")  # export once, not in each worker
    key = create_key(open_store(Settings(home=home, _env_file=None)), name="w", role="reader")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPMATCH_")}
    env |= {"COPMATCH_HOME": str(home), "COPMATCH_TORCH_THREADS": "1"}
    command = [str(Path(sys.executable).parent / "copmatch"), "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, server)
        question = next(iter(truth["topics"].values()))["sample_questions"][0]
        headers = {"Authorization": f"Bearer {key}"}

        def ask(_: int) -> None:  # a new connection each time, four at once: both workers take some
            response = httpx.post(f"{url}/v1/experts", json={"text": question}, headers=headers, timeout=60)
            assert response.status_code == 200 and response.json()["experts"]

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(ask, range(REQUESTS)))
        assert len(list((home / "metrics").glob("counter_*.db"))) == 2  # both processes counted
        for _ in range(4):  # whichever process answers, it reports the requests of both
            assert _experts_requests(httpx.get(f"{url}/metrics", timeout=30).text) == REQUESTS
    finally:
        server.terminate()
        server.wait(timeout=60)
