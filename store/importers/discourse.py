"""Import a Discourse forum through its REST API (https://docs.discourse.org).

Categories become communities `discourse:c<id>` (subcategories point at their parent); a
topic's first post becomes the question `discourse:t<topic id>`, its other posts answers
`discourse:p<post id>`, or comments when they reply to a post other than the first. The Solved
plugin's accepted answer is kept; likes are the score. Posts of system users and bots (ids below
1), whispers and small actions are skipped; posts of deleted users go to a non-discoverable
placeholder. Each category remembers the newest `bumped_at` it saw, so the next run fetches only
topics bumped since.
"""

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from pydantic import Field
from sqlalchemy.orm import Session, sessionmaker
from tqdm.asyncio import tqdm_asyncio

from store.importers.cursors import load_cursors
from store.importers.discourse_client import DiscourseClient, NotFound
from store.importers.html_text import html_to_text
from store.importers.records import (
    Batch,
    BundleError,
    CommunityRecord,
    ContributionRecord,
    Located,
    MemberRecord,
    Record,
    UtcTime,
    parse_record,
)
from store.importers.report import ImportReport
from store.importers.upsert import store_batch

log = logging.getLogger(__name__)
DELETED_ID = "discourse:deleted"
DELETED_USER = {"id": DELETED_ID, "name": "deleted user", "discoverable": False}
REGULAR_POST = 1  # post_type; 2 moderator action, 3 small action, 4 whisper
LIKE = 2  # actions_summary id
POSTS_PER_REQUEST = 20
T = TypeVar("T")


class Category(Record):
    id: int
    name: str
    slug: str
    description_text: str = ""
    parent_category_id: int | None = None
    subcategory_list: list[dict] = []


class TopicSummary(Record):
    id: int
    category_id: int | None = None
    bumped_at: UtcTime
    pinned: bool = False


class Action(Record):
    id: int
    count: int = 0


class Post(Record):
    id: int
    post_number: int = Field(ge=1)
    created_at: UtcTime
    user_id: int | None = None
    username: str | None = None
    name: str | None = None
    cooked: str = ""
    post_type: int = REGULAR_POST
    reply_to_post_number: int | None = None
    actions_summary: list[Action] = []
    accepted_answer: bool = False
    hidden: bool = False
    deleted_at: datetime | None = None


class Accepted(Record):
    post_number: int


class Topic(Record):
    id: int
    title: str
    category_id: int
    tags: list[str | dict] = []
    accepted_answer: Accepted | None = None
    post_stream: dict


class UserOption(Record):
    timezone: str | None = None


class User(Record):
    id: int
    username: str
    name: str = ""
    title: str = ""
    bio_raw: str = ""
    bio_cooked: str = ""
    email: str | None = None
    created_at: UtcTime | None = None
    timezone: str | None = None
    user_option: UserOption = UserOption()


@dataclass
class Fetched:
    """What one run read: categories, the topics with their posts, the authors' profiles."""

    categories: list[Located[Category]]
    topics: list[tuple[Located[Topic], list[Located[Post]]]] = field(default_factory=list)
    users: dict[str, Located[User] | None] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)


def import_discourse(
    sessions: sessionmaker[Session], client: DiscourseClient, categories: list[str] | None = None
) -> ImportReport:
    """Fetch what changed on the forum since the last run and store it like a bundle; the
    cursors move only when the batch is stored.

    Args:
        sessions: the store's session factory.
        client: a client of the forum (used for this one run).
        categories: slugs of the categories to read (a parent includes its subcategories).
    """
    cursors = load_cursors(sessions, _source(client.base_url, ""))
    return store_batch(sessions, read_discourse(client, categories, cursors))


def read_discourse(
    client: DiscourseClient, categories: list[str] | None = None, cursors: dict[str, str] | None = None
) -> Batch:
    """Read the forum's categories and the topics bumped after `cursors` into validated records."""
    fetched = asyncio.run(_fetch(client, categories, cursors or {}))
    return _batch(client.base_url, fetched)


async def _fetch(client: DiscourseClient, slugs: list[str] | None, cursors: dict[str, str]) -> Fetched:
    """Every request of one run, the topics of a category page by page, the rest concurrently."""
    try:
        categories = _categories(await client.get("/categories.json", {"include_subcategories": "true"}))
        fetched = Fetched(categories)
        summaries: list[TopicSummary] = []
        for category in _picked(categories, slugs):
            source = _source(client.base_url, f"c{category.id}")
            found, newest = await _bumped_topics(client, category, cursors.get(source))
            summaries += found
            if newest:
                fetched.cursors[source] = newest
        fetched.topics = await _gather([_topic(client, s.id) for s in summaries], "topics")
        names = _authors(fetched.topics)
        profiles = await _gather([_user(client, name) for name in names], "members")
        fetched.users = dict(zip(names, profiles, strict=True))
        return fetched
    finally:
        await client.close()


async def _gather(calls: list[Coroutine[Any, Any, T]], what: str) -> list[T]:
    """Await the calls concurrently (the client limits them) under a progress bar."""
    return await tqdm_asyncio.gather(*calls, desc=what, unit=f" {what}", disable=None, leave=False)


def _categories(data: Any) -> list[Located[Category]]:
    """Every category of /categories.json, subcategories (nested or flat) included."""
    if not isinstance(data, dict) or not isinstance(data.get("category_list"), dict):
        raise BundleError("/categories.json", None, "no category_list")
    found: dict[int, Located[Category]] = {}
    pending: list[tuple[dict[str, Any], int | None]] = [
        (c, None) for c in data["category_list"].get("categories", [])
    ]
    while pending:
        raw, parent = pending.pop(0)
        item = parse_record(Category, raw, "/categories.json", f"category {_id(raw)}")
        if parent is not None and item.record.parent_category_id is None:
            nested = item.record.model_copy(update={"parent_category_id": parent})
            item = Located(nested, item.file, item.line)
        found.setdefault(item.record.id, item)
        pending += [(sub, item.record.id) for sub in item.record.subcategory_list]
    return list(found.values())


def _id(raw: Any) -> object:
    """The id a raw API object claims, for error messages."""
    return raw.get("id") if isinstance(raw, dict) else raw


def _picked(categories: list[Located[Category]], slugs: list[str] | None) -> list[Category]:
    """The categories named by slug, with their subcategories; all when none are named."""
    records = [item.record for item in categories]
    if not slugs:
        return records
    unknown = set(slugs) - {c.slug for c in records}
    if unknown:
        raise BundleError("/categories.json", None, f"no category with slug {', '.join(sorted(unknown))}")
    picked = {c.id for c in records if c.slug in slugs}
    grown = True
    while grown:
        children = {c.id for c in records if c.parent_category_id in picked} - picked
        picked |= children
        grown = bool(children)
    return [c for c in records if c.id in picked]


async def _bumped_topics(
    client: DiscourseClient, category: Category, cursor: str | None
) -> tuple[list[TopicSummary], str | None]:
    """The category's own topics bumped after `cursor` (pages come newest bump first), and the
    newest bump seen."""
    since = datetime.fromisoformat(cursor) if cursor else None
    path = f"/c/{category.slug}/{category.id}.json"
    topics: list[TopicSummary] = []
    newest = since
    page = 0
    while True:
        data = await client.get(path, {"page": page})
        listing = data.get("topic_list", {}) if isinstance(data, dict) else {}
        raw_topics = listing.get("topics", [])
        older = False
        for raw in raw_topics:
            topic = parse_record(TopicSummary, raw, path, f"page {page} topic {_id(raw)}").record
            if since is not None and topic.bumped_at <= since:
                older = older or not topic.pinned
                continue
            newest = max(newest, topic.bumped_at) if newest else topic.bumped_at
            if topic.category_id == category.id and topic.id not in {t.id for t in topics}:
                topics.append(topic)
        if older or not raw_topics or not listing.get("more_topics_url"):
            return topics, newest.isoformat() if newest else None
        page += 1


async def _topic(client: DiscourseClient, topic_id: int) -> tuple[Located[Topic], list[Located[Post]]]:
    """A topic with all its posts: the first 20 come with it, the rest by id, 20 at a time."""
    path = f"/t/{topic_id}.json"
    topic = parse_record(Topic, await client.get(path), path, None)
    stream = topic.record.post_stream
    raw_posts = list(stream.get("posts", []))
    have = {_id(p) for p in raw_posts}
    missing = [i for i in stream.get("stream", []) if i not in have]
    more_path = f"/t/{topic_id}/posts.json"
    for start in range(0, len(missing), POSTS_PER_REQUEST):
        chunk = missing[start : start + POSTS_PER_REQUEST]
        data = await client.get(more_path, {"post_ids[]": chunk})
        raw_posts += data.get("post_stream", {}).get("posts", []) if isinstance(data, dict) else []
    posts = [parse_record(Post, raw, path, f"post {_id(raw)}") for raw in raw_posts]
    return topic, sorted(posts, key=lambda p: p.record.post_number)


async def _user(client: DiscourseClient, username: str) -> Located[User] | None:
    """A member's public profile; None when the forum no longer shows it."""
    path = f"/users/{username}.json"
    try:
        data = await client.get(path)
    except NotFound:
        return None
    return parse_record(User, data.get("user") if isinstance(data, dict) else data, path, None)


def _authors(topics: list[tuple[Located[Topic], list[Located[Post]]]]) -> list[str]:
    """Usernames of the people who wrote the topics' posts."""
    return sorted({p.record.username or "" for _, posts in topics for p in posts if _by_person(p.record)})


def _by_person(post: Post) -> bool:
    """Whether a post's author is a person with an account (not a system user or bot)."""
    return post.user_id is not None and post.user_id > 0 and bool(post.username)


def _source(base_url: str, key: str) -> str:
    """The cursor name of one part of a forum."""
    return f"discourse:{base_url.rstrip('/')}:{key}"


def _batch(base_url: str, fetched: Fetched) -> Batch:
    """Records of everything fetched."""
    members = [_member(name, item) for name, item in fetched.users.items() if item is not None]
    known = {m.record.id for m in members}
    contributions = []
    for topic, posts in fetched.topics:
        contributions += _contributions(topic, posts, fetched.users, known)
    if any(item.record.author_id == DELETED_USER["id"] for item in contributions):
        members.append(Located(MemberRecord.model_validate(DELETED_USER), base_url, None))
    log.info("%s: %d topics, %d posts", base_url, len(fetched.topics), len(contributions))
    return Batch(
        communities=[_community(item) for item in fetched.categories],
        members=members,
        contributions=contributions,
        cursors=fetched.cursors,
    )


def _community(item: Located[Category]) -> Located[CommunityRecord]:
    """A category as a community."""
    category = item.record
    parent = category.parent_category_id
    record = {
        "id": f"discourse:c{category.id}",
        "name": category.name,
        "description": category.description_text,
        "parent_id": f"discourse:c{parent}" if parent is not None else None,
    }
    return parse_record(CommunityRecord, record, item.file, item.line)


def _member(username: str, item: Located[User]) -> Located[MemberRecord]:
    """A forum user's profile as a member."""
    user = item.record
    record = {
        "id": f"discourse:u{user.id}",
        "name": user.name or user.username,
        "joined_at": user.created_at,
        "email": user.email,
        "title": user.title,
        "timezone": user.user_option.timezone or user.timezone,
        "profile": user.bio_raw or html_to_text(user.bio_cooked),
    }
    return parse_record(MemberRecord, record, item.file, item.line)


def _contributions(
    topic: Located[Topic], posts: list[Located[Post]], users: dict[str, Located[User] | None], known: set[str]
) -> list[Located[ContributionRecord]]:
    """The question, answers and comments of one topic; empty when a bot or the system opened it."""
    kept = [p for p in posts if _kept(p.record)]
    if not kept or kept[0].record.post_number != 1:
        return []
    head = topic.record
    ids = {p.record.post_number: _post_id(head.id, p.record) for p in kept}
    accepted_number = head.accepted_answer.post_number if head.accepted_answer else None
    tags = [t if isinstance(t, str) else str(t.get("name", "")) for t in head.tags]
    records = []
    for item in kept:
        post = item.record
        record = {
            "id": ids[post.post_number],
            "author_id": _author(post, users, known),
            "kind": "question",
            "created_at": post.created_at,
            "community_id": f"discourse:c{head.category_id}",
            "body": html_to_text(post.cooked),
            "score": sum(a.count for a in post.actions_summary if a.id == LIKE),
            "tags": [t for t in tags if t],
        }
        if post.post_number == 1:
            record["title"] = head.title
        else:
            replied = ids.get(post.reply_to_post_number or 1)
            comment = post.reply_to_post_number not in (None, 1) and replied is not None
            record |= {
                "kind": "comment" if comment else "answer",
                "parent_id": replied if comment else ids[1],
                "accepted": post.accepted_answer or post.post_number == accepted_number,
            }
        records.append(parse_record(ContributionRecord, record, item.file, item.line))
    return records


def _kept(post: Post) -> bool:
    """Regular, visible posts of people and of deleted users; not of the system or bots."""
    by_bot = post.user_id is not None and post.user_id <= 0
    return post.post_type == REGULAR_POST and not post.hidden and post.deleted_at is None and not by_bot


def _post_id(topic_id: int, post: Post) -> str:
    """The topic's id for its first post (the question), else the post's id."""
    return f"discourse:t{topic_id}" if post.post_number == 1 else f"discourse:p{post.id}"


def _author(post: Post, users: dict[str, Located[User] | None], known: set[str]) -> str:
    """The member id of a post's author; deleted or hidden users share the placeholder."""
    profile = users.get(post.username or "")
    member = f"discourse:u{profile.record.id}" if profile else None
    return member if member in known else DELETED_ID
