"""What the API promises beyond the happy path: strict bodies, range-checked ids, JSON errors with a
request id, long questions, an honest OpenAPI and docs that need no internet."""

import logging

import pytest
from fastapi.testclient import TestClient

from service.request_ids import HEADER

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": "kafka", "community": "x"}, "body.community: Extra inputs are not permitted"),
        ({"text": "kafka", "k": "3"}, "body.k: Input should be a valid integer"),
        ({"text": "kafka", "k": True}, "body.k: Input should be a valid integer"),
        ({"text": "kafka", "k": 3.5}, "body.k: Input should be a valid integer"),
    ],
)
def test_unknown_fields_and_loose_types_are_refused(app_client, reader, body, fragment) -> None:
    response = app_client.post("/v1/experts", json=body, headers=reader)
    assert response.status_code == 422
    assert fragment in response.json()["error"]["message"]


def test_every_body_refuses_unknown_fields(app_client, reader) -> None:
    bodies = {
        "/v1/solutions": {"text": "kafka"},
        "/v1/mentors": {"text": "kafka"},
        "/v1/mentors/cohort": {"member_ids": ["m1"]},
        "/v1/communities/related": {"text": "kafka"},
        "/v1/feedback": {"recommendation": "experts", "item_id": "m1", "verdict": "helpful"},
        "/v1/mentorships": {"mentor_id": "a", "mentee_id": "b"},
    }
    for route, body in bodies.items():
        response = app_client.post(route, json={**body, "typo": 1}, headers=reader)
        assert response.status_code == 422, route
        assert "body.typo" in response.json()["error"]["message"], route


@pytest.mark.parametrize("mentorship_id", [2**63, 2**31, 0, -1])
def test_out_of_range_mentorship_id_is_422(app_client, reader, mentorship_id) -> None:
    response = app_client.patch(f"/v1/mentorships/{mentorship_id}", json={"action": "accept"}, headers=reader)
    assert response.status_code == 422
    assert "path.mentorship_id" in response.json()["error"]["message"]


@pytest.mark.parametrize("version", [2**63, 2**31, 0])
def test_out_of_range_index_version_is_422(app_client, reader, demo, version) -> None:
    _, truth = demo
    member = next(iter(truth["topics"].values()))["experts"][0]
    body = {"recommendation": "experts", "item_id": member, "verdict": "helpful", "index_version": version}
    response = app_client.post("/v1/feedback", json=body, headers=reader)
    assert response.status_code == 422
    assert "body.index_version" in response.json()["error"]["message"]


def test_feedback_on_an_unknown_item_is_404_and_on_a_known_one_201(app_client, reader, demo) -> None:
    _, truth = demo
    member = next(iter(truth["topics"].values()))["experts"][0]
    body = {"recommendation": "experts", "item_id": "no-such-member", "verdict": "helpful"}
    response = app_client.post("/v1/feedback", json=body, headers=reader)
    assert response.status_code == 404
    assert "no-such-member" in response.json()["error"]["message"]
    assert (
        app_client.post("/v1/feedback", json={**body, "item_id": member}, headers=reader).status_code == 201
    )
    wrong_kind = {**body, "recommendation": "solutions", "item_id": member}  # a member is no contribution
    assert app_client.post("/v1/feedback", json=wrong_kind, headers=reader).status_code == 404


def test_unexpected_error_is_json_with_the_logged_request_id(app_client, reader, monkeypatch, caplog) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(app_client.app.state.context.recommender, "experts", broken)
    client = TestClient(app_client.app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="service.errors"):
        response = client.post("/v1/experts", json={"text": "kafka"}, headers=reader)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert error["request_id"] == response.headers[HEADER]
    assert error["request_id"] in caplog.text and "RuntimeError: boom" in caplog.text


def test_every_response_carries_a_request_id_and_a_callers_own_is_kept(app_client, reader) -> None:
    first = app_client.get("/healthz").headers[HEADER]
    assert first and first != app_client.get("/healthz").headers[HEADER]
    kept = app_client.post("/v1/experts", json={"text": "kafka"}, headers={**reader, HEADER: "trace-42"})
    assert kept.headers[HEADER] == "trace-42"
    refused = app_client.get("/healthz", headers={HEADER: "bad id with spaces"})
    assert refused.headers[HEADER] != "bad id with spaces"
    assert app_client.post("/v1/experts", json={"text": ""}, headers=reader).headers[HEADER]


def test_long_question_embeds_head_and_tail_and_searches_all_of_it(app_client, reader, monkeypatch) -> None:
    recommender = app_client.app.state.context.recommender
    snapshot, seen = recommender.holder.get(), []

    def reading(encode):  # type: ignore[no-untyped-def]
        def spy(text: str):  # type: ignore[no-untyped-def]
            seen.append(text)
            return encode(text)

        return spy

    for encoder in (snapshot.query_encoder, recommender.queries.encoder):  # static, then the model
        monkeypatch.setattr(encoder, "encode_query", reading(encoder.encode_query))
    text = "Why does our nightly export fail? " + "We tried many things. " * 1300 + "The log ends: ORA-01555"
    assert 28_000 < len(text) <= 30_000
    for route in ("/v1/experts", "/v1/solutions"):
        response = app_client.post(route, json={"text": text, "k": 5}, headers=reader)
        assert response.status_code == 200, response.text
    embedded = seen[-1]
    assert len(embedded) <= 900 and embedded.startswith("Why does") and embedded.endswith("ORA-01555")
    found = response.json()["solutions"]
    assert any("ORA-01555" in item["title"] + item["snippet"] for item in found)


def test_openapi_declares_bearer_errors_metrics_and_the_one_of_rule(app_client) -> None:
    spec = app_client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "an API key from `copmatch keys create`",
    }
    operations = {(m, p): op for p, ops in spec["paths"].items() for m, op in ops.items()}
    assert operations[("post", "/v1/experts")]["security"] == [{"apiKey": []}]
    assert {"401", "404", "422", "503"} <= set(operations[("post", "/v1/experts")]["responses"])
    assert {"401", "403", "409"} <= set(operations[("post", "/v1/admin/reindex")]["responses"])
    assert {"404", "409", "422"} <= set(operations[("patch", "/v1/mentorships/{mentorship_id}")]["responses"])
    assert "text/plain" in operations[("get", "/metrics")]["responses"]["200"]["content"]
    related = spec["components"]["schemas"]["RelatedQuery"]
    assert [branch["required"] for branch in related["oneOf"]] == [["text"], ["member_id"], ["community_id"]]
    assert related["additionalProperties"] is False


def test_docs_are_served_without_a_cdn(app_client) -> None:
    page = app_client.get("/docs").text
    assert "cdn." not in page and "unpkg" not in page
    assets = [part.split('"')[0] for part in page.split('src="')[1:]] + [
        part.split('"')[0] for part in page.split('href="')[1:]
    ]
    local = [url for url in assets if url.startswith("/")]
    assert any(url.endswith("swagger-ui-bundle.js") for url in local)
    for url in local:
        assert app_client.get(url).status_code == 200, url


def test_unknown_query_parameter_is_refused(app_client, admin) -> None:
    response = app_client.get("/v1/mentorships", params={"statsu": "accepted"}, headers=admin)
    assert response.status_code == 422
    assert "query.statsu" in response.json()["error"]["message"]
    assert app_client.get("/v1/mentorships", params={"status": "accepted"}, headers=admin).status_code == 200
