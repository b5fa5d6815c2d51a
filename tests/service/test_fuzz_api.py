"""Schemathesis over every route with a reader and an admin key: no server error, every response
as the OpenAPI document says (status, content type, body schema)."""

import dataclasses
import shutil
import sys

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from service.app import build_context, create_app
from service.reindex import Reindexer
from store.db import open_store
from store.keys import create_key
from store.settings import Settings

pytestmark = pytest.mark.slow
EXAMPLES = 15  # per route and generation mode, each sent with both keys: about a minute on 2 cores


@pytest.fixture(scope="module")
def fuzzed(demo, encoder, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A private copy of the indexed demo (fuzzing writes feedback and mentorships) and its keys;
    reindexing is stubbed, so the admin route is exercised without building."""
    home = tmp_path_factory.mktemp("fuzz") / "home"
    shutil.copytree(demo[0].home, home)
    own = Settings(home=home, slack_signing_secret="fuzz", _env_file=None)  # Slack on: 401s, not 503s
    sessions = open_store(own)
    keys = {role: create_key(sessions, name=f"fuzz-{role}", role=role) for role in ("reader", "admin")}
    stub = Reindexer([sys.executable, "-c", "pass"])
    context = dataclasses.replace(build_context(own, encoder), reindexer=stub)
    return create_app(context=context), keys


def fuzz(app, keys: dict[str, str], examples: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Run every operation's generated cases, valid ones and invalid ones (which must be refused),
    with every key; returns the labels of the operations run."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        cases = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )

        @given(case=cases)
        @settings(
            max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def conforms(case) -> None:  # type: ignore[no-untyped-def]
            for key in keys.values():
                case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

        conforms()
    return labels


def test_every_route_conforms_with_reader_and_admin_keys(fuzzed) -> None:  # type: ignore[no-untyped-def]
    app, keys = fuzzed
    labels = fuzz(app, keys, EXAMPLES)
    assert "POST /v1/experts" in labels and "PATCH /v1/mentorships/{mentorship_id}" in labels
    assert len(labels) == len([1 for ops in app.openapi()["paths"].values() for _ in ops])
