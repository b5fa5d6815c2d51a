"""COPMATCH_QUERY_ENCODER=static: queries embedded by the index version's static encoder."""

import pytest
from fastapi.testclient import TestClient

from service.app import build_context, create_app
from service.queries import StaticQueries

pytestmark = pytest.mark.slow


class BatchOnlyEncoder:
    """The sentence encoder for batches of texts; embedding a query with it fails the test."""

    def __init__(self, encoder) -> None:  # type: ignore[no-untyped-def]
        self.encoder, self.name, self.dim = encoder, encoder.name, encoder.dim

    def encode(self, texts, progress=False):  # type: ignore[no-untyped-def]
        return self.encoder.encode(texts, progress)

    def encode_query(self, text):  # type: ignore[no-untyped-def]
        raise AssertionError(f"the model embedded the query {text!r}")


@pytest.fixture(scope="module")
def static_client(demo, encoder):  # type: ignore[no-untyped-def]
    settings = demo[0].model_copy(update={"query_encoder": "static"})
    context = build_context(settings, BatchOnlyEncoder(encoder))  # type: ignore[arg-type]
    assert isinstance(context.recommender.encoder, StaticQueries)
    with TestClient(create_app(context=context)) as client:
        yield client


def test_planted_experts_still_rank_in_top_three(static_client, reader, demo) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    hits = total = 0
    for topic in truth["topics"].values():
        experts = set(topic["experts"]) - hidden
        for question in topic["sample_questions"] if experts else []:
            body = {"text": question, "k": 3}
            response = static_client.post("/v1/experts", json=body, headers=reader)
            assert response.status_code == 200, response.text
            hits += bool(experts & {e["member_id"] for e in response.json()["experts"]})
            total += 1
    assert total > 20 and hits / total >= 0.85


def test_solutions_and_related_communities_use_it_too(static_client, reader, demo) -> None:
    _, truth = demo
    question = next(iter(truth["topics"].values()))["sample_questions"][0]
    for route in ["/v1/solutions", "/v1/communities/related"]:
        response = static_client.post(route, json={"text": question, "k": 3}, headers=reader)
        assert response.status_code == 200, (route, response.text)
