"""Import a Slack workspace export (users.json, channels.json, CHANNEL/YYYY-MM-DD.json).

Channels become communities `slack:<channel id>`, people members `slack:<user id>` (their
`chat_user_id` the Slack id), messages contributions `slack:<channel id>:<ts>`: a message with
replies is a question and its replies answers; any other message, and a reply whose thread start
is not in the export, is a post. A reply is accepted when the thread's starter reacted to it with
an accept reaction; failing that, when the starter put one on the thread start (marked it solved),
the last reply by someone else is. Joins, leaves, topic changes and other system subtypes, and
bots, are skipped; deleted or unknown users' messages go to a non-discoverable placeholder.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from store.importers.records import (
    Batch,
    BundleError,
    CommunityRecord,
    ContributionRecord,
    Located,
    MemberRecord,
    R,
    Record,
    parse_record,
)
from store.importers.report import ImportReport
from store.importers.slack_export import SlackExport
from store.importers.slack_text import slack_to_text
from store.importers.upsert import store_batch

log = logging.getLogger(__name__)
ACCEPT_REACTIONS = ("white_check_mark", "heavy_check_mark")
DELETED_ID = "slack:deleted"
DELETED_USER = {"id": DELETED_ID, "name": "deleted user", "discoverable": False}
KEPT_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}
SLACKBOT = "USLACKBOT"
DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
TS = r"^\d+(\.\d+)?$"
TITLE_CHARS = 100


class Text(Record):
    value: str = ""


class Profile(Record):
    real_name: str = ""
    display_name: str = ""
    title: str = ""
    email: str | None = None


class User(Record):
    id: str = Field(min_length=1)
    name: str = ""
    real_name: str = ""
    deleted: bool = False
    is_bot: bool = False
    tz: str | None = None
    profile: Profile = Profile()


class Channel(Record):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    purpose: Text = Text()
    topic: Text = Text()


class Reaction(Record):
    name: str
    users: list[str] = []
    count: int = Field(default=0, ge=0)


class Message(Record):
    ts: str = Field(pattern=TS)
    subtype: str | None = None
    user: str | None = None
    bot_id: str | None = None
    text: str = ""
    thread_ts: str | None = Field(default=None, pattern=TS)
    reply_count: int = Field(default=0, ge=0)
    reactions: list[Reaction] = []


@dataclass(frozen=True)
class Directory:
    """Who is who in the workspace: display names, members, and whom to skip."""

    names: dict[str, str]
    channels: dict[str, str]
    members: set[str]
    bots: set[str]


def import_slack(
    sessions: sessionmaker[Session],
    path: Path,
    channels: str | None = None,
    accept_reactions: Iterable[str] = ACCEPT_REACTIONS,
) -> ImportReport:
    """Read the export at `path` (ZIP or folder) and store it like a bundle; all or nothing.

    Args:
        sessions: the store's session factory.
        path: the export's ZIP file or unpacked folder.
        channels: a glob on channel names (default: every channel).
        accept_reactions: reaction names that mark a reply as the accepted answer.
    """
    return store_batch(sessions, read_slack(path, channels, accept_reactions))


def read_slack(
    path: Path, channels: str | None = None, accept_reactions: Iterable[str] = ACCEPT_REACTIONS
) -> Batch:
    """Convert an export into validated records (references are checked on store)."""
    export = SlackExport(path)
    users = _objects(export, "users.json", User)
    all_channels = _objects(export, "channels.json", Channel)
    picked = [c for c in all_channels if channels is None or fnmatch(c.record.name, channels)]
    directory = _directory([u.record for u in users], [c.record for c in all_channels])
    members = [_member(u) for u in users if u.record.id in directory.members]
    contributions: list[Located[ContributionRecord]] = []
    accept = frozenset(accept_reactions)
    for channel in tqdm(picked, desc="channels", unit=" channels", disable=None, leave=False):
        messages = _channel_messages(export, channel.record, directory)
        contributions += _contributions(channel.record, messages, directory, accept)
    if any(item.record.author_id == DELETED_USER["id"] for item in contributions):
        members.append(Located(MemberRecord.model_validate(DELETED_USER), "users.json", None))
    log.info("%s: %d channels, %d members, %d messages", path, len(picked), len(members), len(contributions))
    return Batch(communities=[_community(c) for c in picked], members=members, contributions=contributions)


def _array(export: SlackExport, name: str) -> list:
    """A file that must hold a JSON array."""
    data = export.load(name)
    if not isinstance(data, list):
        raise BundleError(name, None, "not a JSON array")
    return data


def _objects(export: SlackExport, name: str, model: type[R]) -> list[Located[R]]:
    """Every element of a JSON array file, validated as `model` and located by its index."""
    return [parse_record(model, data, name, f"[{i}]") for i, data in enumerate(_array(export, name))]


def _directory(users: list[User], channels: list[Channel]) -> Directory:
    """Names of users and channels for markup; who becomes a member and who is a bot."""
    bots = {u.id for u in users if u.is_bot or u.id == SLACKBOT}
    return Directory(
        names={u.id: _name(u) for u in users},
        channels={c.id: c.name for c in channels},
        members={u.id for u in users if u.id not in bots and not u.deleted},
        bots=bots,
    )


def _name(user: User) -> str:
    """The name people see: the real name, else the display name, else the handle."""
    return user.profile.real_name or user.real_name or user.profile.display_name or user.name or user.id


def _member(item: Located[User]) -> Located[MemberRecord]:
    """A workspace user as a member; `chat_user_id` lets the Slack commands find them."""
    user = item.record
    record = {
        "id": f"slack:{user.id}",
        "name": _name(user),
        "email": user.profile.email,
        "chat_user_id": user.id,
        "title": user.profile.title,
        "timezone": user.tz,
    }
    return parse_record(MemberRecord, record, item.file, item.line)


def _community(item: Located[Channel]) -> Located[CommunityRecord]:
    """A channel as a community, its purpose (else its topic) as the description."""
    channel = item.record
    record = {
        "id": f"slack:{channel.id}",
        "name": channel.name,
        "description": channel.purpose.value or channel.topic.value,
    }
    return parse_record(CommunityRecord, record, item.file, item.line)


def _channel_messages(export: SlackExport, channel: Channel, directory: Directory) -> list[Located[Message]]:
    """The people's messages of a channel's day files, in file and array order."""
    kept = []
    for name in export.names():
        folder, _, file = name.partition("/")
        if folder != channel.name or not DAY_FILE.match(file):
            continue
        for index, data in enumerate(_array(export, name)):
            if isinstance(data, dict) and data.get("type", "message") != "message":
                continue
            item = parse_record(Message, data, name, f"[{index}]")
            message = item.record
            if message.subtype in KEPT_SUBTYPES and not message.bot_id and message.user not in directory.bots:
                kept.append(item)
    return kept


def _contributions(
    channel: Channel, messages: list[Located[Message]], directory: Directory, accept: frozenset[str]
) -> list[Located[ContributionRecord]]:
    """Questions, answers and posts of one channel."""
    by_ts = {item.record.ts: item.record for item in messages}
    replies: dict[str, list[Message]] = {}
    for item in messages:
        message = item.record
        if message.thread_ts and message.thread_ts != message.ts and message.thread_ts in by_ts:
            replies.setdefault(message.thread_ts, []).append(message)
    accepted = {ts for root, thread in replies.items() for ts in _accepted(by_ts[root], thread, accept)}
    records = []
    for item in messages:
        message = item.record
        text = slack_to_text(message.text, directory.names, directory.channels)
        record = {
            "id": f"slack:{channel.id}:{message.ts}",
            "author_id": _author(message.user, directory),
            "kind": "post",
            "created_at": datetime.fromtimestamp(float(message.ts), UTC),
            "community_id": f"slack:{channel.id}",
            "body": text,
            "score": sum(r.count or len(r.users) for r in message.reactions),
        }
        root = message.thread_ts
        if root and root != message.ts and root in by_ts:
            record |= {"kind": "answer", "parent_id": f"slack:{channel.id}:{root}"}
            record["accepted"] = message.ts in accepted
        elif message.ts in replies or (root == message.ts and message.reply_count):
            record |= {"kind": "question", "title": _title(text)}
        records.append(parse_record(ContributionRecord, record, item.file, item.line))
    return records


def _accepted(root: Message, thread: list[Message], accept: frozenset[str]) -> list[str]:
    """The ts of the thread's accepted replies (see the module's docstring)."""
    starter = root.user
    marked = [m.ts for m in thread if _reacted(m, starter, accept)]
    if marked or not _reacted(root, starter, accept):
        return marked
    others = [m.ts for m in thread if m.user != starter]
    return others[-1:]


def _reacted(message: Message, user: str | None, accept: frozenset[str]) -> bool:
    """Whether `user` put one of the accept reactions on the message."""
    return any(r.name in accept and user in r.users for r in message.reactions)


def _author(user: str | None, directory: Directory) -> str:
    """The member id of a message's author; deleted and unknown users share the placeholder."""
    return f"slack:{user}" if user in directory.members else DELETED_ID


def _title(text: str) -> str:
    """A question's title: its first line, cut at a word boundary near TITLE_CHARS."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) <= TITLE_CHARS:
        return first
    cut = first[:TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
