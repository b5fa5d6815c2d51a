"""After a small edit, an incremental build (topics warm-started from the previous version) still
finds the demo's planted topic at risk."""

import shutil
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from indexing.job import run_index
from indexing.versions import published_dir, read_manifest
from service.app import build_context, create_app
from store.db import open_store, transaction
from store.keys import create_key
from store.tables import Contribution
from tests.service.test_health_api import _planted_topic

pytestmark = pytest.mark.slow


def test_a_warm_started_build_finds_the_planted_topic_at_risk(demo, encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings, truth = demo
    planted = truth["topic_at_risk"]
    home = tmp_path / "home"
    shutil.copytree(settings.home, home)
    settings = settings.model_copy(update={"home": home})
    sessions = open_store(settings)
    with transaction(sessions) as session:
        ids = sorted(
            session.scalars(
                select(Contribution.id).where(Contribution.community_id == planted["community_id"])
            )
        )
        session.execute(
            update(Contribution)
            .where(Contribution.id.in_(ids[:: max(1, len(ids) // 5)][:5]))
            .values(body=Contribution.body + " (edited)", updated_at=datetime.now(UTC))
        )
    summary = run_index(settings, encoder=encoder, progress=False)
    assert summary.embedded >= 1 and read_manifest(published_dir(settings.index_dir))["fits_reused"]

    key = {"Authorization": f"Bearer {create_key(sessions, name='warm', role='reader')}"}
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        body = client.get(f"/v1/communities/{planted['community_id']}/health", headers=key).json()
    found = {t["topic_id"]: _planted_topic(home / "bundle", t) for t in body["topics"]}
    assert any(
        topic["at_risk"]
        and [p["member_id"] for p in topic["experts"]] == [planted["fading_expert"]]
        and set(planted["rising_members"]) <= {p["member_id"] for p in topic["growers"]}
        for topic in body["topics"]
        if found[topic["topic_id"]] == planted["topic_id"]
    )
