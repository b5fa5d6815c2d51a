"""API keys: created once, shown once, stored as SHA-256 hashes; listed, revoked and rotated by name."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.importers.records import as_utc
from store.preferences import bump_revision
from store.tables import ApiKey, Member

Role = Literal["reader", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
NAME_CHARS = 100


class ApiKeyError(ValueError):
    """A key request that cannot be honoured (unknown role or member, a name in use)."""


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyInfo:
    """A key as `copmatch keys list` shows it (never the key itself)."""

    name: str
    role: str
    member_id: str | None
    created_at: datetime


def _name_taken(name: str) -> ApiKeyError:
    """The error for a re-used name, naming the ways on."""
    return ApiKeyError(
        f"a key named {name!r} exists already: choose another --name, or replace its secret with "
        f"`copmatch keys rotate {name}`, or delete it with `copmatch keys revoke {name}`"
    )


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
    if not name.strip() or len(name) > NAME_CHARS:
        raise ApiKeyError(f"a key name must be 1 to {NAME_CHARS} characters")
    key = new_secret()
    with transaction(sessions) as session:
        existing = session.scalar(select(ApiKey).where(ApiKey.name == name))
        if existing and not replace:
            raise _name_taken(name)
        if existing:
            session.execute(delete(ApiKey).where(ApiKey.name == name))
            bump_revision(session)
            session.flush()
        if member_id is not None and session.get(Member, member_id) is None:
            raise ApiKeyError(f"unknown member_id {member_id!r}")
        now = datetime.now(UTC)
        session.add(ApiKey(name=name, role=role, key_hash=hash_key(key), created_at=now, member_id=member_id))
    return key


def new_secret() -> str:
    """A fresh random key."""
    return "cm_" + secrets.token_urlsafe(32)


def list_keys(sessions: sessionmaker[Session]) -> list[KeyInfo]:
    """Every key by name."""
    with sessions() as session:
        rows = session.scalars(select(ApiKey).order_by(ApiKey.name))
        return [KeyInfo(r.name, r.role, r.member_id, as_utc(r.created_at)) for r in rows]


def _named(session: Session, name: str) -> ApiKey:
    """The key called `name`; ApiKeyError when there is none."""
    row = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if row is None:
        raise ApiKeyError(f"no key named {name!r} (see `copmatch keys list`)")
    return row


def revoke_key(sessions: sessionmaker[Session], name: str) -> None:
    """Delete a key; the service refuses it within a second or two (the live revision moves)."""
    with transaction(sessions) as session:
        session.delete(_named(session, name))
        bump_revision(session)


def rotate_key(sessions: sessionmaker[Session], name: str) -> str:
    """Give a key a new secret (same name, role and member) and return it; the old one stops working."""
    key = new_secret()
    with transaction(sessions) as session:
        row = _named(session, name)
        row.key_hash, row.created_at = hash_key(key), datetime.now(UTC)
        bump_revision(session)
    return key


def find_key(sessions: sessionmaker[Session], key: str) -> tuple[str, str, str | None] | None:
    """(name, role, member_id) of a valid key, or None."""
    with sessions() as session:
        row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
        return (row.name, row.role, row.member_id) if row else None
