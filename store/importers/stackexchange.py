"""Import a StackExchange data dump (Posts, Users, Tags XML; Comments, Votes, PostLinks when
present) as a bundle-like batch.

Ids follow the bundle dataset: questions `q<Id>`, answers `a<Id>`, comments `c<Id>`, users
`u<Id>`. Communities are the site plus its `top_tags` most used tags (`site/tag`, parent = site);
a question belongs to the first of its tags that is one of them, else the site, and its answers
and comments follow it (same community and tags). Posts of deleted users go to the placeholder
member `u-deleted`. A post without a Score takes its up- less its down-votes from Votes.xml.
Duplicate questions (PostLinks type 3) are kept as `duplicate` links. Error line numbers assume
the dump's layout: one row per line after two header lines.
"""

import logging
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from store.importers.html_text import html_to_text
from store.importers.records import (
    Batch,
    BundleError,
    CommunityRecord,
    ContributionRecord,
    LinkRecord,
    Located,
    MemberRecord,
    parse_record,
)
from store.importers.report import ImportReport
from store.importers.upsert import store_batch

log = logging.getLogger(__name__)
DELETED_USER = {"id": "u-deleted", "name": "deleted user", "discoverable": False}
HEADER_LINES = 2
DUPLICATE = 3  # PostLinks LinkTypeId
VOTE_VALUES = {"2": 1, "3": -1}  # Votes VoteTypeId: up, down
Post = tuple[str, int, dict]  # file, line, the record's fields


def import_stackexchange(
    sessions: sessionmaker[Session], path: Path, site: str | None = None, top_tags: int = 40
) -> ImportReport:
    """Read the dump folder at `path` and store it like a bundle (same validation and upsert).

    Args:
        sessions: the store's session factory.
        path: the dump folder holding Posts.xml, Users.xml and Tags.xml.
        site: community id of the site; default the folder name without `stackexchange-`.
        top_tags: how many of the most used tags become sub-communities.
    Returns:
        Rows added, updated, unchanged and removed per table.
    """
    site = site or path.name.removeprefix("stackexchange-")
    batch = read_stackexchange(path, site, top_tags)
    return store_batch(sessions, batch)


def read_stackexchange(path: Path, site: str, top_tags: int) -> Batch:
    """Convert a dump folder into validated records."""
    tags = _top_tags(path / "Tags.xml", top_tags)
    members = _members(path / "Users.xml")
    user_ids = {item.record.id for item in members}
    posts = _posts(path / "Posts.xml", site, set(tags), user_ids)
    posts += _comments(path / "Comments.xml", {record["id"]: record for _, _, record in posts}, user_ids)
    _fill_scores(posts, path / "Votes.xml")
    contributions = [parse_record(ContributionRecord, record, file, n) for file, n, record in posts]
    if any(item.record.author_id == DELETED_USER["id"] for item in contributions):
        members.append(Located(MemberRecord.model_validate(DELETED_USER), "Users.xml", None))
    questions = {item.record.id for item in contributions if item.record.kind == "question"}
    links = _duplicate_links(path, questions)
    log.info("%s: %d members, %d posts and comments", path, len(members), len(contributions))
    return Batch(
        communities=_communities(site, tags), members=members, contributions=contributions, links=links
    )


def read_post_links(path: Path) -> list[tuple[str, str, int]]:
    """(post, related post, LinkTypeId) from the dump folder's PostLinks.xml, as `q<Id>` ids.

    LinkTypeId 1 = linked, 3 = duplicate.
    """
    links = []
    for number, row in _rows(path / "PostLinks.xml"):
        post, related = (
            _attribute(row, name, "PostLinks.xml", number) for name in ("PostId", "RelatedPostId")
        )
        links.append((f"q{post}", f"q{related}", _integer(row, "LinkTypeId", "PostLinks.xml", number)))
    return links


def _attribute(row: dict[str, str], name: str, file: str, number: int) -> str:
    """A row's required attribute; BundleError naming file and line when it is missing."""
    if name not in row:
        raise BundleError(file, number, f"row without the required attribute {name!r}")
    return row[name]


def _integer(row: dict[str, str], name: str, file: str, number: int, default: str | None = None) -> int:
    """A row's whole-number attribute (`default` when absent and one is given); BundleError otherwise."""
    text = row.get(name, default)
    if text is None:
        return int(_attribute(row, name, file, number))
    if not text.lstrip("-").isdigit():
        raise BundleError(file, number, f"attribute {name}={text!r} is not a whole number")
    return int(text)


def _duplicate_links(path: Path, questions: set[str]) -> list[Located[LinkRecord]]:
    """Duplicate links between imported questions, when the dump has PostLinks.xml."""
    if not (path / "PostLinks.xml").is_file():
        return []
    pairs = {(a, b) for a, b, kind in read_post_links(path) if kind == DUPLICATE and {a, b} <= questions}
    return [
        parse_record(LinkRecord, {"from_id": a, "to_id": b, "kind": "duplicate"}, "PostLinks.xml", None)
        for a, b in sorted(pairs)
    ]


def _fill_scores(posts: list[Post], votes_path: Path) -> None:
    """Give questions and answers without a Score their up- less down-votes from Votes.xml."""
    missing = [record for _, _, record in posts if record["score"] is None]
    if not missing or not votes_path.is_file():
        return
    votes: Counter[str] = Counter()
    for _, row in tqdm(_rows(votes_path), desc=votes_path.name, unit=" votes", disable=None, leave=False):
        votes[row.get("PostId", "")] += VOTE_VALUES.get(row.get("VoteTypeId", ""), 0)
    for record in missing:
        record["score"] = votes[record["id"][1:]]


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream the `<row>` attributes of a dump file with their line, freeing each element."""
    if not path.is_file():
        raise BundleError(path.name, None, f"missing from {path.parent}")
    context = ET.iterparse(path, events=("start", "end"))
    _, root = next(context)
    number = HEADER_LINES
    try:
        for event, element in context:
            if event == "end" and element.tag == "row":
                number += 1
                yield number, dict(element.attrib)
                root.clear()
    except ET.ParseError as error:
        raise BundleError(path.name, error.position[0], f"invalid XML: {error}") from error


def _top_tags(path: Path, limit: int) -> list[str]:
    """The `limit` most used tag names, most used first (ties by name)."""
    counts = [
        (-_integer(row, "Count", path.name, n, "0"), _attribute(row, "TagName", path.name, n))
        for n, row in _rows(path)
    ]
    return [name for _, name in sorted(counts)[:limit]]


def _communities(site: str, tags: list[str]) -> list[Located[CommunityRecord]]:
    """The site community and one sub-community per top tag."""
    site_record = {
        "id": site,
        "name": site,
        "tags": tags,
        "description": f"StackExchange {site} community",
    }
    records = [parse_record(CommunityRecord, site_record, "Tags.xml", None)]
    for tag in tags:
        record = {
            "id": f"{site}/{tag}",
            "name": tag,
            "parent_id": site,
            "tags": [tag],
            "description": f"Questions and answers about {tag.replace('-', ' ')}",
        }
        records.append(parse_record(CommunityRecord, record, "Tags.xml", None))
    return records


def _members(path: Path) -> list[Located[MemberRecord]]:
    """One member per user; system accounts (negative ids) are not discoverable."""
    members = []
    for number, row in tqdm(_rows(path), desc=path.name, unit=" users", disable=None, leave=False):
        user = _attribute(row, "Id", path.name, number)
        record = {
            "id": f"u{user}",
            "name": row.get("DisplayName") or f"user {user}",
            "joined_at": row.get("CreationDate"),
            "location": row.get("Location"),
            "profile": html_to_text(row.get("AboutMe", "")),
            "discoverable": not user.startswith("-"),
        }
        members.append(parse_record(MemberRecord, record, path.name, number))
    return members


def _posts(path: Path, site: str, communities: set[str], user_ids: set[str]) -> list[Post]:
    """Questions and answers; answers take their question's tags, community and acceptance."""
    questions: dict[str, tuple[int, dict, str]] = {}
    answers: list[tuple[int, dict]] = []
    for number, row in tqdm(_rows(path), desc=path.name, unit=" posts", disable=None, leave=False):
        post_type = row.get("PostTypeId")
        if post_type == "1":
            record = _post(row, "question", user_ids, path.name, number)
            tags = _split_tags(row.get("Tags", ""))
            community = next((f"{site}/{t}" for t in tags if t in communities), site)
            record |= {"title": row.get("Title", ""), "tags": tags, "community_id": community}
            questions[record["id"]] = (number, record, f"a{row.get('AcceptedAnswerId')}")
        elif post_type == "2":
            answers.append((number, _post(row, "answer", user_ids, path.name, number)))
    posts = [(path.name, n, r) for n, r, _ in questions.values()]
    for number, record in answers:
        _, question, accepted_id = questions.get(record["parent_id"], (0, {}, ""))
        record |= {
            "tags": question.get("tags", []),
            "community_id": question.get("community_id", site),
            "accepted": record["id"] == accepted_id,
        }
        posts.append((path.name, number, record))
    return posts


def _comments(path: Path, posts: dict[str, dict], user_ids: set[str]) -> list[Post]:
    """Comments on imported posts (others, e.g. on tag wikis, are left out), when the dump has them."""
    if not path.is_file():
        return []
    comments = []
    for number, row in tqdm(_rows(path), desc=path.name, unit=" comments", disable=None, leave=False):
        post_id = row.get("PostId")
        parent = posts.get(f"q{post_id}") or posts.get(f"a{post_id}")
        if parent is None:
            continue
        author = f"u{row.get('UserId')}"
        record = {
            "id": f"c{_attribute(row, 'Id', path.name, number)}",
            "kind": "comment",
            "author_id": author if author in user_ids else DELETED_USER["id"],
            "created_at": row.get("CreationDate"),
            "body": row.get("Text", ""),
            "score": row.get("Score", 0),
            "parent_id": parent["id"],
            "tags": parent.get("tags", []),
            "community_id": parent.get("community_id"),
        }
        comments.append((path.name, number, record))
    return comments


def _post(row: dict[str, str], kind: str, user_ids: set[str], file: str, number: int) -> dict:
    """The fields every question and answer has."""
    author = f"u{row.get('OwnerUserId')}"
    record = {
        "id": f"{kind[0]}{_attribute(row, 'Id', file, number)}",
        "kind": kind,
        "author_id": author if author in user_ids else DELETED_USER["id"],
        "created_at": row.get("CreationDate"),
        "body": html_to_text(row.get("Body", "")),
        "score": row.get("Score"),
    }
    if kind == "answer":
        record["parent_id"] = f"q{row.get('ParentId')}"
    return record


def _split_tags(text: str) -> list[str]:
    """Tags written `<a><b>` (older dumps) or `|a|b|` (newer dumps)."""
    if text.startswith("|"):
        return [tag for tag in text.split("|") if tag]
    return re.findall(r"<([^<>]+)>", text)
