"""COPMATCH_QUERY_ENCODER=static (the default): experts and solutions embed queries with the index
version's static encoder, the model only for words it never saw; related communities use the model."""

import pytest
from fastapi.testclient import TestClient

from service.app import build_context, create_app
from service.queries import StaticQueries

pytestmark = pytest.mark.slow


class CountingEncoder:
    """The sentence encoder, counting the queries it embeds one at a time."""

    def __init__(self, encoder) -> None:  # type: ignore[no-untyped-def]
        self.encoder, self.name, self.dim = encoder, encoder.name, encoder.dim
        self.queries: list[str] = []

    def encode(self, texts, progress=False):  # type: ignore[no-untyped-def]
        return self.encoder.encode(texts, progress)

    def encode_query(self, text):  # type: ignore[no-untyped-def]
        self.queries.append(text)
        return self.encoder.encode_query(text)


@pytest.fixture(scope="module")
def counted(demo, encoder):  # type: ignore[no-untyped-def]
    settings = demo[0].model_copy(update={"query_encoder": "static"})
    model = CountingEncoder(encoder)
    context = build_context(settings, model)  # type: ignore[arg-type]
    assert isinstance(context.recommender.queries, StaticQueries)
    with TestClient(create_app(context=context)) as client:
        yield client, model


def test_planted_experts_rank_in_top_three_without_the_model(counted, reader, demo) -> None:
    client, model = counted
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    hits = total = 0
    model.queries.clear()
    for topic in truth["topics"].values():
        experts = set(topic["experts"]) - hidden
        for question in topic["sample_questions"] if experts else []:
            body = {"text": question, "k": 3}
            response = client.post("/v1/experts", json=body, headers=reader)
            assert response.status_code == 200, response.text
            hits += bool(experts & {e["member_id"] for e in response.json()["experts"]})
            total += 1
    assert total > 20 and hits / total >= 0.85
    assert model.queries == []


def test_solutions_use_it_and_related_communities_the_model(counted, reader, demo) -> None:
    client, model = counted
    _, truth = demo
    question = next(iter(truth["topics"].values()))["sample_questions"][0]
    model.queries.clear()
    response = client.post("/v1/solutions", json={"text": question, "k": 3}, headers=reader)
    assert response.status_code == 200 and response.json()["solutions"], response.text
    assert model.queries == []
    response = client.post("/v1/communities/related", json={"text": question, "k": 3}, headers=reader)
    assert response.status_code == 200 and response.json()["communities"], response.text
    assert model.queries == [question]


def test_words_the_index_never_saw_go_to_the_model(counted, reader) -> None:
    client, model = counted
    model.queries.clear()
    text = "zxqv plorbing frangulator"
    response = client.post("/v1/experts", json={"text": text, "k": 3}, headers=reader)
    assert response.status_code == 200, response.text
    assert model.queries == [text]


def test_model_setting_embeds_every_query_with_the_model(demo, encoder, reader) -> None:
    settings = demo[0].model_copy(update={"query_encoder": "model"})
    model = CountingEncoder(encoder)
    with TestClient(create_app(context=build_context(settings, model))) as client:  # type: ignore[arg-type]
        response = client.post("/v1/experts", json={"text": "database backups", "k": 3}, headers=reader)
    assert response.status_code == 200, response.text
    assert model.queries == ["database backups"]
