"""The store's whole life on PostgreSQL (COPMATCH_DATABASE_URL): migrations, import and re-import,
indexing, keys, queries, feedback and load-spreading counts.

The database is a fresh one on the run's throwaway PostgreSQL (`postgres_url` in tests/conftest.py);
where that server cannot start, the test is skipped.
"""

import json
import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from indexing.job import run_index
from service.app import build_context, create_app
from service.demo.generator import generate_demo, load_truth
from store.db import open_store
from store.exposures import exposures_since
from store.importers.bundle import import_bundle
from store.keys import create_key
from store.settings import Settings
from store.tables import Feedback

pytestmark = pytest.mark.slow


def _edit_one_body(bundle) -> str:  # type: ignore[no-untyped-def]
    """Change the body of the first contribution in the bundle file; returns its id."""
    path = bundle / "contributions.jsonl"
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["body"] = f"{first.get('body') or ''} Edited for the PostgreSQL test."
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    return first["id"]


def test_demo_organization_lives_on_postgres(postgres_url, demo, encoder, tmp_path) -> None:
    settings = Settings(home=tmp_path, database_url=postgres_url, _env_file=None)
    assert settings.db_url.startswith("postgresql+psycopg://")
    shutil.copytree(demo[0].index_dir, settings.index_dir)  # its vectors are reused, not re-embedded
    sessions = open_store(settings)
    generate_demo(seed=7, size="small").write_bundle(tmp_path / "bundle")
    assert import_bundle(sessions, tmp_path / "bundle").tables["contributions"].added > 500
    run_index(settings, encoder=encoder, progress=False)
    _edit_one_body(tmp_path / "bundle")
    again = import_bundle(open_store(settings), tmp_path / "bundle")
    assert (again.tables["contributions"].updated, again.tables["contributions"].added) == (1, 0)
    assert run_index(settings, encoder=encoder, progress=False).built

    truth = load_truth(tmp_path / "bundle" / "truth.json")
    headers = {"Authorization": f"Bearer {create_key(sessions, name='pg', role='reader')}"}
    topic = next(t for t in truth["topics"].values() if set(t["experts"]) - set(truth["non_discoverable"]))
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        question = {"text": topic["sample_questions"][0], "k": 5}
        found = client.post("/v1/experts", json=question, headers=headers)
        assert found.status_code == 200, found.text
        shown = [e["member_id"] for e in found.json()["experts"]]
        assert set(shown) & set(topic["experts"]) and not set(shown) & set(truth["non_discoverable"])
        body = {"recommendation": "experts", "item_id": shown[0], "verdict": "helpful"}
        assert client.post("/v1/feedback", json=body, headers=headers).status_code == 201
    with sessions() as session:
        assert session.scalars(select(Feedback.item_id)).all() == [shown[0]]
    assert {member for member, _ in exposures_since(sessions, "2000-01-01")} >= set(shown)
