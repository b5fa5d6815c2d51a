"""POST /v1/chat/slack: Slack's v0 signature, stale timestamps, commands and Block Kit replies."""

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.app import build_context, create_app
from service.slack import chat_member
from store.db import open_store, transaction
from store.tables import Member

pytestmark = pytest.mark.slow

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture(scope="module")
def slack_client(demo, encoder):  # type: ignore[no-untyped-def]
    settings = demo[0].model_copy(update={"slack_signing_secret": SECRET})
    with TestClient(create_app(context=build_context(settings, encoder))) as client:
        yield client


@pytest.fixture(scope="module")
def emails(demo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with open_store(demo[0])() as session:
        return dict(session.execute(select(Member.id, Member.email)).all())


def _signed(body: str, timestamp: int, secret: str = SECRET) -> dict[str, str]:
    """Headers exactly as Slack computes them (api.slack.com/authentication/verifying-requests)."""
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _command(client, command, text="", user_name="someone", user_id="U000", **sign):  # type: ignore[no-untyped-def]
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "command": command,
            "text": text,
            "user_id": user_id,
            "user_name": user_name,
            "response_url": "https://x",
        }
    )
    headers = _signed(body, sign.pop("timestamp", int(time.time())), **sign)
    return client.post("/v1/chat/slack", content=body, headers=headers)


def _text(reply: dict) -> str:
    assert reply["response_type"] == "ephemeral"
    assert all(b["type"] == "section" and b["text"]["type"] == "mrkdwn" for b in reply["blocks"])
    return "\n".join(b["text"]["text"] for b in reply["blocks"])


def test_signed_experts_command_is_answered_with_blocks(slack_client, demo) -> None:
    _, truth = demo
    topic = next(iter(truth["topics"].values()))
    response = _command(slack_client, "/experts", topic["sample_questions"][0])
    assert response.status_code == 200, response.text
    text = _text(response.json())
    assert text.startswith("*Who knows about*") and "*1. " in text


def test_wrong_signature_and_stale_timestamp_get_401(slack_client) -> None:
    wrong = _command(slack_client, "/experts", "kafka", secret="not-the-secret")
    assert wrong.status_code == 401 and "does not match" in wrong.json()["error"]["message"]
    stale = _command(slack_client, "/experts", "kafka", timestamp=int(time.time()) - 6 * 60)
    assert stale.status_code == 401 and "stale" in stale.json()["error"]["message"]
    body = urlencode({"command": "/experts", "text": "kafka"})
    headers = _signed(body, int(time.time()))
    tampered = slack_client.post("/v1/chat/slack", content=body + "x", headers=headers)
    assert tampered.status_code == 401
    unsigned = slack_client.post("/v1/chat/slack", content=body)
    assert unsigned.status_code == 401


def test_without_a_signing_secret_the_route_is_unavailable(app_client) -> None:
    response = _command(app_client, "/experts", "kafka")
    assert response.status_code == 503
    assert "COPMATCH_SLACK_SIGNING_SECRET" in response.json()["error"]["message"]


def test_hidden_members_never_appear_in_chat_replies(slack_client, demo) -> None:
    _, truth = demo
    hidden = set(truth["non_discoverable"])
    with open_store(demo[0])() as session:
        names = set(session.scalars(select(Member.name).where(Member.id.in_(hidden))))
    for topic in list(truth["topics"].values())[:6]:
        for command in ("/experts", "/solutions"):
            text = _text(_command(slack_client, command, topic["sample_questions"][0]).json())
            assert not any(name in text for name in names), (command, text)


def test_mentor_command_maps_the_caller_by_email(slack_client, demo, emails) -> None:
    _, truth = demo
    newcomer = next(iter(truth["newcomers"]))
    email = emails[newcomer]
    by_email = _text(_command(slack_client, "/mentor", user_name=email).json())
    assert by_email.startswith("*Mentors who could help you*") and "Knows " in by_email
    local = _text(_command(slack_client, "/mentor", user_name=email.split("@")[0]).json())
    assert local.startswith("*Mentors who could help you*")
    sessions = slack_client.app.state.context.sessions
    assert chat_member(sessions, "U123", email.split("@")[0]) == newcomer
    assert chat_member(sessions, "U123", email.upper()) == newcomer
    with transaction(sessions) as session:
        session.get(Member, newcomer).chat_user_id = "UCHAT7"
    assert chat_member(sessions, "UCHAT7", "a-handle-nobody-has") == newcomer
    stranger = _text(_command(slack_client, "/mentor", user_name="nobody.here").json())
    assert "cannot tell who you are" in stranger


def test_solutions_and_unknown_commands(slack_client, demo) -> None:
    _, truth = demo
    question = next(iter(truth["topics"].values()))["sample_questions"][0]
    solutions = _text(_command(slack_client, "/solutions", question).json())
    assert solutions.startswith("*Past solutions for*")
    usage = _text(_command(slack_client, "/experts", "").json())
    assert "Ask like this" in usage
    unknown = _text(_command(slack_client, "/weather", "today").json())
    assert "Unknown command `/weather`" in unknown
    assert json.dumps(unknown)  # a plain JSON-able reply
