"""Hand-made bundles written into a temporary folder."""

import gzip
import json
from pathlib import Path

COMMUNITIES = [
    {"id": "db", "name": "Databases", "tags": ["sql"]},
    {"id": "db/pg", "name": "PostgreSQL", "parent_id": "db", "tags": ["postgresql"]},
]
MEMBERS = [
    {"id": "u1", "name": "Ana", "email": "ana@example.org", "chat_user_id": "U01"},
    {"id": "u2", "name": "Ben", "joined_at": "2020-01-01T09:00:00", "manager_id": "u1"},
    {"id": "u3", "name": "Caro", "skills": ["indexing"], "mentor_capacity": 2},
]
CONTRIBUTIONS = [
    {
        "id": "q1",
        "author_id": "u2",
        "kind": "question",
        "community_id": "db/pg",
        "title": "slow join",
        "body": "my join is slow",
        "created_at": "2021-03-01T10:00:00Z",
    },
    {
        "id": "a1",
        "author_id": "u1",
        "kind": "answer",
        "community_id": "db/pg",
        "parent_id": "q1",
        "body": "add an index",
        "accepted": True,
        "score": 3,
        "created_at": "2021-03-01T11:00:00Z",
    },
    {
        "id": "c1",
        "author_id": "u3",
        "kind": "comment",
        "community_id": "db/pg",
        "parent_id": "a1",
        "body": "a partial index",
        "created_at": "2021-03-01T12:00:00+02:00",
    },
    {
        "id": "d1",
        "author_id": "u1",
        "kind": "document",
        "community_id": "db",
        "title": "backup guide",
        "created_at": "2021-04-01T08:00:00Z",
    },
]


def write_bundle(
    folder: Path,
    communities: list[dict] = COMMUNITIES,
    members: list[dict] = MEMBERS,
    contributions: list[dict] = CONTRIBUTIONS,
    memberships: list[dict] | None = None,
    gz: bool = False,
) -> Path:
    """Write the records as a bundle folder; lines may also be raw strings (broken lines)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"communities": communities, "members": members, "contributions": contributions}
    if memberships is not None:
        files["memberships"] = memberships
    for name, records in files.items():
        text = "".join(r if isinstance(r, str) else json.dumps(r) + "\n" for r in records)
        if gz:
            (folder / f"{name}.jsonl.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (folder / f"{name}.jsonl").write_text(text)
    return folder


TABLES = ("communities", "members", "memberships", "contributions", "contribution_links", "import_cursors")


def snapshot(sessions) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """Every row of the imported tables, to compare a store before and after."""
    from sqlalchemy import text

    with sessions() as session:
        return {
            table: sorted(tuple(row) for row in session.execute(text(f"SELECT * FROM {table}")))
            for table in TABLES
        }
