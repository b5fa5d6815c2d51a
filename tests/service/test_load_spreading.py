"""Load spreading through the API: an app of its own with it on (the shared client has it off)."""

import pytest
from fastapi.testclient import TestClient

from service.app import build_context, create_app

pytestmark = pytest.mark.slow

QUESTION = {"text": "kafka consumer lag", "k": 3}


@pytest.fixture(scope="module")
def spreading_client(demo, encoder):  # type: ignore[no-untyped-def]
    """The demo organization served with load spreading on."""
    settings = demo[0].model_copy(update={"load_spreading": True})
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        yield client


def test_the_shared_client_does_not_spread_load(app_client, reader, admin) -> None:  # type: ignore[no-untyped-def]
    first = app_client.post("/v1/experts", json=QUESTION, headers=reader).json()["experts"]
    again = app_client.post("/v1/experts", json=QUESTION, headers=reader).json()["experts"]
    assert [(e["member_id"], e["score"]) for e in again] == [(e["member_id"], e["score"]) for e in first]
    assert app_client.get("/v1/admin/exposures", headers=admin).status_code == 404


def test_admin_exposures_lists_the_members_just_recommended(spreading_client, reader, admin) -> None:  # type: ignore[no-untyped-def]
    client = spreading_client
    assert client.get("/v1/admin/exposures", headers=reader).status_code == 403
    shown = client.post("/v1/experts", json=QUESTION, headers=reader).json()
    body = client.get("/v1/admin/exposures", headers=admin, params={"limit": 1000}).json()
    counts = {m["member_id"]: m["recommended"] for m in body["members"]}
    assert {e["member_id"] for e in shown["experts"]} <= {m for m, n in counts.items() if n >= 1}
    assert body["window_days"] == 7.0 and body["sync_seconds"] == 300.0
    assert client.get("/v1/admin/exposures", headers=admin, params={"limit": 0}).status_code == 422


def test_a_member_recommended_again_and_again_drifts_down(spreading_client, reader) -> None:  # type: ignore[no-untyped-def]
    question = {"text": "How do I tune the autovacuum of a large PostgreSQL table?", "k": 3}
    first = spreading_client.post("/v1/experts", json=question, headers=reader).json()["experts"][0]
    for _ in range(20):
        spreading_client.post("/v1/experts", json=question, headers=reader)
    later = spreading_client.post("/v1/experts", json=question, headers=reader).json()["experts"]
    scores = {e["member_id"]: e["score"] for e in later}
    assert scores.get(first["member_id"], 0.0) < first["score"]
