"""Where a member shows up: every route that can return a member, asked the same questions.

Works with a TestClient or an httpx.Client (same get/post API), so the live-layer tests ask one
process or several the same way.
"""

import hashlib
import hmac
import time
from urllib.parse import urlencode

SHOWN_IN = ("experts", "solutions", "bridges", "mentors", "cohort", "member")


def _post(client, path: str, headers: dict, body: dict) -> dict:  # type: ignore[no-untyped-def]
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text}"
    return response.json()


def shown_in(client, headers: dict, member_id: str, question: str, newcomers: list[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """The routes (of SHOWN_IN) whose answer names `member_id` for `question`."""
    found = set()
    experts = _post(client, "/v1/experts", headers, {"text": question, "k": 10})["experts"]
    if member_id in {e["member_id"] for e in experts}:
        found.add("experts")
    solutions = _post(client, "/v1/solutions", headers, {"text": question, "k": 20})["solutions"]
    if member_id in {s["author_id"] for s in solutions}:
        found.add("solutions")
    related = _post(client, "/v1/communities/related", headers, {"text": question, "k": 10})["communities"]
    if member_id in {b["member_id"] for c in related for b in c["bridges"]}:
        found.add("bridges")
    mentors = _post(client, "/v1/mentors", headers, {"text": question, "k": 10})["mentors"]
    if member_id in {m["member_id"] for m in mentors}:
        found.add("mentors")
    cohort = _post(client, "/v1/mentors/cohort", headers, {"member_ids": newcomers})["assignments"]
    if member_id in {a["mentor_id"] for a in cohort}:
        found.add("cohort")
    if client.get(f"/v1/members/{member_id}", headers=headers).status_code == 200:
        found.add("member")
    return found


def shown_everywhere(client, admin: dict, truth: dict) -> tuple[str, str, str, list[str]]:  # type: ignore[no-untyped-def]
    """(member, question, community, newcomers): a planted expert every route shows for one of the demo's
    sample questions once they mentor (their mentor_capacity is set to 5 on the way)."""
    newcomers = list(truth["newcomers"])
    for topic in truth["topics"].values():
        question = topic["sample_questions"][0]
        for member in topic["experts"]:
            response = client.patch(
                f"/v1/members/{member}/preferences", json={"mentor_capacity": 5}, headers=admin
            )
            assert response.status_code == 200, response.text
            if shown_in(client, admin, member, question, newcomers) == set(SHOWN_IN):
                return member, question, topic["community_id"], newcomers
    raise AssertionError("no planted expert is shown by every route")


def slack_headers(body: str, secret: str, timestamp: int) -> dict[str, str]:
    """Headers as Slack signs a slash command (api.slack.com/authentication/verifying-requests)."""
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slack_text(client, secret: str, command: str, text: str) -> str:  # type: ignore[no-untyped-def]
    """Everything a slash command's reply says, as one string."""
    body = urlencode({"command": command, "text": text, "user_id": "U-nobody", "user_name": "nobody"})
    headers = slack_headers(body, secret, int(time.time()))
    response = client.post("/v1/chat/slack", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return "\n".join(block["text"]["text"] for block in response.json()["blocks"])
