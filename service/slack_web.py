"""Posting to Slack through its Web API (chat.postMessage), or writing what would be posted.

https://api.slack.com/methods/chat.postMessage: POST with `Authorization: Bearer <bot token>`,
a JSON body {channel, text, thread_ts?}; the reply is HTTP 200 with {"ok": true} or
{"ok": false, "error": "..."}. A channel may be a user id, which posts to the bot's direct
messages with that person. A question imported from Slack (id `slack:<channel>:<ts>`) is
answered in its thread, mentioning the suggested people; any other question is sent to each of
them by direct message.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

API = "https://slack.com/api/"
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Person:
    """Someone to ask: member id, name, Slack user id when known."""

    member_id: str
    name: str
    chat_user_id: str | None


def slack_thread(question_id: str) -> tuple[str, str] | None:
    """(channel, thread ts) of a question imported from Slack, else None."""
    parts = question_id.split(":")
    return (parts[1], parts[2]) if len(parts) == 3 and parts[0] == "slack" and all(parts[1:]) else None


class SlackPoster:
    """Asks people through the Web API with a bot token; returns who was reached, and how."""

    def __init__(self, token: str, client: httpx.Client | None = None) -> None:
        self.client = client or httpx.Client(base_url=API, timeout=TIMEOUT_SECONDS)
        self.token = token

    def _post(self, body: dict) -> bool:
        """One chat.postMessage; False (logged) when Slack refuses it or cannot be reached."""
        try:
            response = self.client.post(
                "chat.postMessage", json=body, headers={"Authorization": f"Bearer {self.token}"}
            )
            reply = response.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("slack: chat.postMessage failed: %s", error)
            return False
        if not reply.get("ok"):
            log.warning("slack: chat.postMessage refused: %s", reply.get("error", response.status_code))
            return False
        return True

    def ask(self, question_id: str, text: str, people: list[Person]) -> tuple[list[Person], str]:
        """Post `text` to the question's thread mentioning `people`, or DM each of them."""
        reachable = [p for p in people if p.chat_user_id]
        thread = slack_thread(question_id)
        if thread and reachable:
            mentions = " ".join(f"<@{p.chat_user_id}>" for p in reachable)
            body = {"channel": thread[0], "thread_ts": thread[1], "text": f"{mentions} {text}"}
            return (reachable if self._post(body) else []), "thread"
        return [p for p in reachable if self._post({"channel": p.chat_user_id, "text": text})], "dm"


class WrittenPoster:
    """Without a Slack token: writes what would be posted, and counts everyone as asked."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    def ask(self, question_id: str, text: str, people: list[Person]) -> tuple[list[Person], str]:
        """Write one line per person."""
        for person in people:
            self.write(f"would ask {person.name} ({person.member_id}) about {question_id}: {text}")
        return people, "written"
