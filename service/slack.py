"""Slack slash commands: Slack's v0 request signature, the command form, Block Kit replies.

Signature (https://api.slack.com/authentication/verifying-requests-from-slack): HMAC-SHA256 of
`v0:{X-Slack-Request-Timestamp}:{raw body}` keyed with the app's signing secret, sent as
`X-Slack-Signature: v0=<hex>`; timestamps more than five minutes away are refused (replays).
Commands: `/experts <question>`, `/solutions <question>`, `/mentor [goals]` for the caller.
"""

import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import parse_qs

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from service.mentoring import Mentoring
from service.recommender import Recommender
from service.topics import NothingToMatchError
from store.tables import Member

MAX_AGE_SECONDS = 300
SHOWN = 5
SECTION_CHARS = 2900  # Slack caps a section's text at 3000 characters


class SlackAuthError(Exception):
    """The request is not provably from Slack: bad or missing signature, or a stale timestamp."""


class SlackRequestError(ValueError):
    """The form lacks a field a slash command always has."""


@dataclass(frozen=True)
class SlashCommand:
    """The fields of a slash-command request that copmatch uses."""

    command: str
    text: str
    user_id: str
    user_name: str


def verify_signature(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> None:
    """Raise SlackAuthError unless `signature` is Slack's v0 signature of the body at `timestamp`,
    and `timestamp` (unix seconds) is within five minutes of `now`."""
    try:
        sent = int(timestamp)
    except ValueError:
        raise SlackAuthError("X-Slack-Request-Timestamp must be unix seconds") from None
    if abs(now - sent) > MAX_AGE_SECONDS:
        raise SlackAuthError("stale request: X-Slack-Request-Timestamp is over 5 minutes old")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SlackAuthError("X-Slack-Signature does not match the request")


def parse_command(body: bytes, max_text: int) -> SlashCommand:
    """The slash command in a form-encoded body; its text is cut to `max_text` characters."""
    form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    values = {name: form.get(name, [""])[0] for name in ("command", "text", "user_id", "user_name")}
    if not values["command"]:
        raise SlackRequestError("the form has no 'command' field")
    return SlashCommand(
        values["command"], values["text"].strip()[:max_text], values["user_id"], values["user_name"]
    )


def chat_member(sessions: sessionmaker[Session], user_id: str, user_name: str) -> str | None:
    """The member id of a chat user: by chat_user_id, else by an email equal to the user name or
    id, else by a unique email whose local part is the user name."""
    with sessions() as session:
        if user_id:
            found = session.scalar(select(Member.id).where(Member.chat_user_id == user_id))
            if found:
                return found
        names = [n.lower() for n in (user_name, user_id) if n]
        if not names:
            return None
        found = session.scalar(select(Member.id).where(func.lower(Member.email).in_(names)))
        if found or not user_name:
            return found
        local = func.lower(Member.email).startswith(f"{user_name.lower()}@", autoescape=True)
        matches = session.scalars(select(Member.id).where(local).limit(2)).all()
        return matches[0] if len(matches) == 1 else None


def _escape(text: str) -> str:
    """Text safe inside Slack mrkdwn (&, < and > are control characters there)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def blocks(lines: list[str]) -> dict:
    """An ephemeral Block Kit reply: one mrkdwn section per line."""
    return {
        "response_type": "ephemeral",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": line[:SECTION_CHARS]}} for line in lines
        ],
    }


def _experts(recommender: Recommender, question: str, caller: str | None) -> dict:
    if not question:
        return blocks(["Ask like this: `/experts how do I rotate the TLS certificates?`"])
    found = recommender.experts(question, SHOWN, exclude=[caller] if caller else [])
    if not found.items:
        return blocks([f"No one has written about that yet: _{_escape(question)}_"])
    lines = [f"*Who knows about* _{_escape(question)}_"]
    if not found.matched:
        lines = [f"{found.message} _{_escape(question)}_", "*Closest people:*"]
    lines += [
        f"*{i}. {_escape(e['name'])}* ({e['level']}): {_escape(e['reason'])}"
        for i, e in enumerate(found.items, start=1)
    ]
    return blocks(lines)


def _solutions(recommender: Recommender, question: str) -> dict:
    if not question:
        return blocks(["Ask like this: `/solutions kafka consumer lag keeps growing`"])
    found = recommender.solutions(question, SHOWN)
    if not found.items:
        return blocks([f"No past solution matches _{_escape(question)}_"])
    lines = [f"*Past solutions for* _{_escape(question)}_"]
    for s in found.items:
        by = f" by {_escape(s['author_name'])}" if s["author_name"] else ""
        lines.append(
            f"*{_escape(s['title'] or 'untitled')}* ({s['kind']}{by}, {s['created_at']})"
            f"\n{_escape(s['snippet'])}"
        )
    return blocks(lines)


def _mentors(mentoring: Mentoring, goals: str, caller: str | None) -> dict:
    if caller is None:
        return blocks(
            [
                "I cannot tell who you are: ask an admin to record your Slack user id "
                "(chat_user_id) or your email on your member profile."
            ]
        )
    try:
        found = mentoring.mentors(3, member_id=caller, text=goals or None)
    except NothingToMatchError:
        return blocks(["Tell me what you want to learn: `/mentor kubernetes networking`"])
    if not found.items:
        return blocks(["No mentor with free places knows these topics right now."])
    lines = ["*Mentors who could help you*"]
    lines += [
        f"*{i}. {_escape(m['name'])}*: {_escape(m['reason'])}" for i, m in enumerate(found.items, start=1)
    ]
    return blocks(lines)


def answer(command: SlashCommand, recommender: Recommender, mentoring: Mentoring) -> dict:
    """The Block Kit reply to a slash command (hidden members never appear in it)."""
    caller = chat_member(mentoring.sessions, command.user_id, command.user_name)
    name = command.command.lstrip("/").lower()
    if name == "experts":
        return _experts(recommender, command.text, caller)
    if name == "solutions":
        return _solutions(recommender, command.text)
    if name == "mentor":
        return _mentors(mentoring, command.text, caller)
    return blocks([f"Unknown command `{_escape(command.command)}`: try /experts, /solutions or /mentor."])
