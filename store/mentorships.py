"""Mentorships: proposed → accepted → ended, or proposed → declined; capacity enforced on accept.

Accepting counts the mentor's accepted mentorships and updates the row in one transaction with
the mentor's row locked (`SELECT ... FOR UPDATE`), so concurrent accepts cannot overbook a
mentor. SQLite ignores FOR UPDATE; there the transaction starts with `BEGIN IMMEDIATE`, which
takes the database write lock up front and serializes the count-and-update the same way.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.importers.records import as_utc
from store.preferences import effective, today
from store.tables import Member, Mentorship

ACTIVE = "accepted"
TRANSITIONS = {  # action -> (required status, new status)
    "accept": ("proposed", "accepted"),
    "decline": ("proposed", "declined"),
    "end": ("accepted", "ended"),
}
OPEN = ("proposed", "accepted")
STATUSES = ("proposed", "accepted", "declined", "ended")


class MentorshipError(Exception):
    """A mentorship request that breaks a rule (the message says which)."""


class MentorshipNotFoundError(MentorshipError, LookupError):
    """No mentorship or member with that id."""


class MentorshipConflictError(MentorshipError):
    """The request conflicts with the current state: transition, duplicate or full mentor."""


class MentorUnavailableError(MentorshipConflictError):
    """The proposed mentor opted out or is away."""


class MentorFullError(MentorshipConflictError):
    """Accepting would take the mentor beyond their mentor_capacity."""


@dataclass(frozen=True)
class MentorshipRecord:
    """A mentorship as callers see it."""

    id: int
    mentor_id: str
    mentee_id: str
    status: str
    created_at: datetime
    updated_at: datetime


def _record(row: Mentorship) -> MentorshipRecord:
    """The caller's view of a row, times in UTC (SQLite returns them without a zone)."""
    return MentorshipRecord(
        row.id, row.mentor_id, row.mentee_id, row.status, as_utc(row.created_at), as_utc(row.updated_at)
    )


@contextmanager
def _serialized(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that holds the write lock from its start on SQLite (BEGIN IMMEDIATE)."""
    with transaction(sessions) as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def _member(session: Session, member_id: str, lock: bool = False) -> Member:
    """The member row (locked FOR UPDATE when asked); MentorshipNotFoundError when absent."""
    query = select(Member).where(Member.id == member_id)
    member = session.scalar(query.with_for_update() if lock else query)
    if member is None:
        raise MentorshipNotFoundError(f"unknown member_id {member_id!r}")
    return member


def propose(sessions: sessionmaker[Session], mentor_id: str, mentee_id: str) -> MentorshipRecord:
    """Record a proposed mentorship.

    Raises MentorshipNotFoundError for an unknown member, MentorUnavailableError when the mentor
    opted out or is away, MentorshipConflictError when mentor and mentee are the same person, the
    mentor does not mentor (capacity 0, their own setting first) or the pair already has an open
    (proposed or accepted) one.
    """
    if mentor_id == mentee_id:
        raise MentorshipConflictError(f"member {mentor_id!r} cannot mentor themself")
    with _serialized(sessions) as session:
        mentor = effective(session, _member(session, mentor_id))
        if not mentor.discoverable:
            raise MentorUnavailableError(f"member {mentor_id!r} opted out and cannot be proposed as a mentor")
        if mentor.away(today()):
            raise MentorUnavailableError(
                f"member {mentor_id!r} is away until {mentor.away_until} and cannot be proposed as a mentor"
            )
        if mentor.mentor_capacity <= 0:
            raise MentorshipConflictError(f"member {mentor_id!r} does not mentor (mentor_capacity 0)")
        _member(session, mentee_id)
        open_one = session.scalar(
            select(Mentorship.id).where(
                Mentorship.mentor_id == mentor_id,
                Mentorship.mentee_id == mentee_id,
                Mentorship.status.in_(OPEN),
            )
        )
        if open_one is not None:
            raise MentorshipConflictError(
                f"mentorship {open_one} between {mentor_id!r} and {mentee_id!r} is already open"
            )
        now = datetime.now(UTC)
        row = Mentorship(
            mentor_id=mentor_id, mentee_id=mentee_id, status="proposed", created_at=now, updated_at=now
        )
        session.add(row)
        session.flush()
        return _record(row)


def _active_count(session: Session, mentor_id: str) -> int:
    """Accepted mentorships of one mentor."""
    query = select(func.count()).where(Mentorship.mentor_id == mentor_id, Mentorship.status == ACTIVE)
    return int(session.scalar(query) or 0)


def change(sessions: sessionmaker[Session], mentorship_id: int, action: str) -> MentorshipRecord:
    """Apply `action` (accept, decline, end) to a mentorship; returns it updated.

    Raises MentorshipNotFoundError for an unknown id, MentorshipConflictError for a transition
    the current status does not allow, MentorFullError when accepting would exceed the mentor's
    capacity (checked with the mentor's row locked, so concurrent accepts cannot overbook).
    """
    if action not in TRANSITIONS:
        raise ValueError(f"action must be one of {', '.join(TRANSITIONS)}, not {action!r}")
    required, new = TRANSITIONS[action]
    with _serialized(sessions) as session:
        row = session.get(Mentorship, mentorship_id)
        if row is None:
            raise MentorshipNotFoundError(f"unknown mentorship id {mentorship_id}")
        if row.status != required:
            raise MentorshipConflictError(
                f"cannot {action} mentorship {mentorship_id}: it is {row.status}, not {required}"
            )
        if action == "accept":
            capacity = effective(session, _member(session, row.mentor_id, lock=True)).mentor_capacity
            taken = _active_count(session, row.mentor_id)
            if taken >= capacity:
                raise MentorFullError(
                    f"mentor {row.mentor_id!r} is full: {taken} of {capacity} mentee places taken"
                )
        row.status, row.updated_at = new, datetime.now(UTC)
        session.flush()
        return _record(row)


def get(sessions: sessionmaker[Session], mentorship_id: int) -> MentorshipRecord:
    """One mentorship; MentorshipNotFoundError when absent."""
    with sessions() as session:
        row = session.get(Mentorship, mentorship_id)
        if row is None:
            raise MentorshipNotFoundError(f"unknown mentorship id {mentorship_id}")
        return _record(row)


def list_mentorships(
    sessions: sessionmaker[Session], member_id: str | None, status: str | None = None, limit: int = 100
) -> list[MentorshipRecord]:
    """Mentorships the member is mentor or mentee of (every one for None), newest first."""
    query = select(Mentorship).order_by(Mentorship.id.desc()).limit(limit)
    if member_id is not None:
        query = query.where(or_(Mentorship.mentor_id == member_id, Mentorship.mentee_id == member_id))
    if status is not None:
        query = query.where(Mentorship.status == status)
    with sessions() as session:
        return [_record(row) for row in session.scalars(query)]


def active_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Accepted mentorships per mentor id (mentors without any are absent)."""
    with sessions() as session:
        query = (
            select(Mentorship.mentor_id, func.count())
            .where(Mentorship.status == ACTIVE)
            .group_by(Mentorship.mentor_id)
        )
        return {mentor: int(count) for mentor, count in session.execute(query)}


def past_mentors(sessions: sessionmaker[Session], mentee_id: str) -> set[str]:
    """Everyone who was ever proposed to, or mentored, this mentee (any status)."""
    with sessions() as session:
        query = select(Mentorship.mentor_id).where(Mentorship.mentee_id == mentee_id).distinct()
        return set(session.scalars(query))
