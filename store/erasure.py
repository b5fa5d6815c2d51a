"""Erasure: remove a member's personal data for good, and keep it removed through later imports.

Erasing deletes the member's row (profile, contact details), memberships, mentorships, preferences,
exposure counts, feedback about them and keys bound to them, and re-attributes their contributions to
a placeholder member who is never discoverable, or deletes them (`with_contributions`). The erased id
is remembered: every import drops that member's records and treats their contributions the same way,
until an admin restores the id. Each erasure bumps the live revision, so the service applies it within
a second.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, delete, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.importers.records import Batch
from store.preferences import UnknownMemberError, bump_revision
from store.tables import (
    ApiKey,
    Contribution,
    ErasedMember,
    Exposure,
    Feedback,
    Member,
    MemberPreference,
    Membership,
    Mentorship,
)

PLACEHOLDER_ID = "erased-member"
PLACEHOLDER_NAME = "erased member"


class ErasureError(ValueError):
    """An erasure or restore that cannot be done (the message says why)."""


@dataclass(frozen=True)
class ErasureReport:
    """What an erasure removed or changed."""

    member_id: str
    contributions_reattributed: int
    contributions_deleted: int
    mentorships_deleted: int
    keys_deleted: int


def _placeholder(session: Session) -> None:
    """The member erased contributions are attributed to: never discoverable, no personal data."""
    if session.get(Member, PLACEHOLDER_ID) is None:
        now = datetime.now(UTC)
        session.add(Member(id=PLACEHOLDER_ID, name=PLACEHOLDER_NAME, discoverable=False, updated_at=now))
        session.flush()


def _touched(session: Session, statement: Executable) -> int:
    """How many rows a DELETE or UPDATE changed."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def erase_member(
    sessions: sessionmaker[Session], member_id: str, with_contributions: bool = False
) -> ErasureReport:
    """Erase a member now (see the module doc); UnknownMemberError for an unknown id, ErasureError for
    an erased one or the placeholder."""
    if member_id == PLACEHOLDER_ID:
        raise ErasureError("the placeholder of erased members cannot be erased")
    with transaction(sessions) as session:
        if session.get(ErasedMember, member_id) is not None:
            raise ErasureError(f"member {member_id!r} is erased already")
        if session.get(Member, member_id) is None:
            raise UnknownMemberError(f"unknown member_id {member_id!r}")
        _placeholder(session)
        authored = Contribution.author_id == member_id
        if with_contributions:
            moved, deleted = 0, _touched(session, delete(Contribution).where(authored))
        else:
            now = datetime.now(UTC)
            changes = {"author_id": PLACEHOLDER_ID, "updated_at": now}
            moved, deleted = _touched(session, update(Contribution).where(authored).values(changes)), 0
        pair = or_(Mentorship.mentor_id == member_id, Mentorship.mentee_id == member_id)
        mentorships = _touched(session, delete(Mentorship).where(pair))
        keys = _touched(session, delete(ApiKey).where(ApiKey.member_id == member_id))
        session.execute(delete(Membership).where(Membership.member_id == member_id))
        session.execute(delete(MemberPreference).where(MemberPreference.member_id == member_id))
        session.execute(delete(Exposure).where(Exposure.member_id == member_id))
        session.execute(delete(Feedback).where(Feedback.item_id == member_id))
        session.execute(update(Member).where(Member.manager_id == member_id).values(manager_id=None))
        session.execute(delete(Member).where(Member.id == member_id))
        now = datetime.now(UTC)
        session.add(ErasedMember(member_id=member_id, with_contributions=with_contributions, erased_at=now))
        bump_revision(session)
    return ErasureReport(member_id, moved, deleted, mentorships, keys)


def restore_member(sessions: sessionmaker[Session], member_id: str) -> None:
    """Forget an erasure: the next import that holds the member brings them back (nothing else does)."""
    with transaction(sessions) as session:
        row = session.get(ErasedMember, member_id)
        if row is None:
            raise ErasureError(f"member {member_id!r} is not erased")
        session.delete(row)
        bump_revision(session)


def erased_ids(session: Session) -> dict[str, bool]:
    """Every erased member id -> whether their contributions were deleted too."""
    return dict(session.execute(select(ErasedMember.member_id, ErasedMember.with_contributions)).all())


@dataclass
class Screened:
    """A batch without erased members, and the contribution ids to delete after storing it."""

    batch: Batch
    dropped: list[str]


def screen_batch(session: Session, batch: Batch) -> Screened:
    """Keep erased members out of an import: drop their member and membership records, clear managers
    pointing at them, re-attribute their contributions to the placeholder (and delete, after storing,
    those erased with their contributions, so replies to them still find their parents)."""
    erased = erased_ids(session)
    if not erased:
        return Screened(batch, [])
    members = [i for i in batch.members if i.record.id not in erased]
    members = [
        replace(i, record=i.record.model_copy(update={"manager_id": None}))
        if i.record.manager_id in erased
        else i
        for i in members
    ]
    memberships = None
    if batch.memberships is not None:
        memberships = [i for i in batch.memberships if i.record.member_id not in erased]
    contributions, dropped = [], []
    for item in batch.contributions:
        author = item.record.author_id
        if author in erased:
            if erased[author]:
                dropped.append(item.record.id)
            item = replace(item, record=item.record.model_copy(update={"author_id": PLACEHOLDER_ID}))
        contributions.append(item)
    if any(i.record.author_id == PLACEHOLDER_ID for i in contributions):
        _placeholder(session)
    kept = replace(batch, members=members, memberships=memberships, contributions=contributions)
    return Screened(kept, dropped)
