"""API keys: created once, shown once, stored as SHA-256 hashes."""

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import ApiKey, Member

ROLES = ("reader", "admin")


class ApiKeyError(ValueError):
    """A key request that cannot be honoured (unknown role or member, a name in use)."""


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(
    sessions: sessionmaker[Session],
    *,
    name: str,
    role: str,
    replace: bool = False,
    member_id: str | None = None,
) -> str:
    """Create a key and return its plaintext (never stored); `replace` drops a key of that name first.

    A key bound to `member_id` acts as that member (their preferences, their mentorships).
    """
    if role not in ROLES:
        raise ApiKeyError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    key = "cm_" + secrets.token_urlsafe(32)
    with transaction(sessions) as session:
        existing = session.scalar(select(ApiKey).where(ApiKey.name == name))
        if existing and not replace:
            raise ApiKeyError(f"a key named {name!r} exists already")
        if existing:
            session.execute(delete(ApiKey).where(ApiKey.name == name))
            session.flush()
        if member_id is not None and session.get(Member, member_id) is None:
            raise ApiKeyError(f"unknown member_id {member_id!r}")
        now = datetime.now(UTC)
        session.add(ApiKey(name=name, role=role, key_hash=hash_key(key), created_at=now, member_id=member_id))
    return key


def find_key(sessions: sessionmaker[Session], key: str) -> tuple[str, str, str | None] | None:
    """(name, role, member_id) of a valid key, or None."""
    with sessions() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
        return (row.name, row.role, row.member_id) if row else None
