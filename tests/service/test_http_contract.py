"""Auth, input limits, the shared error shape and the open routes."""

import pytest

pytestmark = pytest.mark.slow


def test_no_key_is_401_and_bad_key_is_401(app_client) -> None:
    response = app_client.post("/v1/experts", json={"text": "kafka lag"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    bad = app_client.post("/v1/experts", json={"text": "kafka lag"}, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert "invalid API key" in bad.json()["error"]["message"]


def test_reader_key_on_admin_routes_is_403(app_client, reader) -> None:
    assert app_client.get("/v1/admin/index", headers=reader).status_code == 403
    response = app_client.post("/v1/admin/reindex", headers=reader)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "this route needs an admin key"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "body.text"),
        ({"text": "x" * 30_001}, "body.text: at most 30000 characters"),
        ({"text": "kafka", "k": 0}, "body.k"),
        ({"text": "kafka", "k": 101}, "body.k"),
        ({"k": 3}, "body.text: Field required"),
    ],
)
def test_input_limits_answer_422_with_message(app_client, reader, body, fragment) -> None:
    response = app_client.post("/v1/experts", json=body, headers=reader)
    assert response.status_code == 422
    assert fragment in response.json()["error"]["message"]


def test_unknown_community_is_404(app_client, reader) -> None:
    body = {"text": "kafka lag", "community_id": "no-such-community"}
    for route in ("/v1/experts", "/v1/solutions"):
        response = app_client.post(route, json=body, headers=reader)
        assert response.status_code == 404
        assert "no-such-community" in response.json()["error"]["message"]


def test_unknown_member_is_404(app_client, reader) -> None:
    response = app_client.get("/v1/members/nobody", headers=reader)
    assert response.status_code == 404


def test_member_profile_lists_topics_and_levels(app_client, reader, demo) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    expert = next(e for t in truth["topics"].values() for e in t["experts"] if e not in hidden)
    body = app_client.get(f"/v1/members/{expert}", headers=reader).json()
    assert body["topics"] and all(t["topic"] and t["contributions"] >= t["accepted"] for t in body["topics"])
    assert body["level"] in {"core", "active"}
    assert body["communities"]


def test_feedback_is_stored(app_client, reader, demo) -> None:
    member = next(iter(demo[1]["topics"].values()))["experts"][0]
    body = {"recommendation": "experts", "item_id": member, "verdict": "helpful", "query": "kafka"}
    response = app_client.post("/v1/feedback", json=body, headers=reader)
    assert response.status_code == 201
    assert response.json()["id"] >= 1
    bad = app_client.post("/v1/feedback", json={**body, "verdict": "meh"}, headers=reader)
    assert bad.status_code == 422


def test_health_routes_are_open(app_client) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}
    assert app_client.get("/readyz").status_code == 200
    metrics = app_client.get("/metrics").text
    assert "copmatch_index_version" in metrics
    assert 'route="/healthz"' in metrics


def test_admin_index_reports_version(app_client, admin) -> None:
    body = app_client.get("/v1/admin/index", headers=admin).json()
    assert body["version"] >= 1 and body["age_seconds"] >= 0
