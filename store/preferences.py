"""Member preferences: what a member decided about themself, over what the last import said.

A member may opt out (discoverable false), be away until a date, hide topics (community ids: no
recommendation on the strength of their work there) and set their mentor capacity. These live in
their own table, so no import overwrites them; every write also bumps `live_revision`, the cheap
counter the service processes poll to see changes within a second.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Community, ErasedMember, LiveRevision, Member, MemberPreference

MAX_HIDDEN_TOPICS = 200
MAX_MENTOR_CAPACITY = 100
FIELDS = ("discoverable", "away_until", "hidden_topics", "mentor_capacity")


class PreferenceError(ValueError):
    """A change that cannot be made (the message says why)."""


class UnknownMemberError(LookupError):
    """No member with that id in the store."""


@dataclass(frozen=True)
class Preferences:
    """A member's state in force: their own choices where they made one, else the imported values."""

    member_id: str
    discoverable: bool
    away_until: date | None
    hidden_topics: list[str]
    mentor_capacity: int

    def away(self, today: date) -> bool:
        """Away on `today`: not recommended before `away_until`."""
        return self.away_until is not None and today < self.away_until

    def available(self, today: date) -> bool:
        """May be recommended or proposed today."""
        return self.discoverable and not self.away(today)


@dataclass
class LiveState:
    """Everything the live layer applies: opted-out ids, away dates, hidden topics and capacities."""

    revision: tuple
    opted_out: set[str] = field(default_factory=set)
    away_until: dict[str, date] = field(default_factory=dict)
    hidden_topics: dict[str, list[str]] = field(default_factory=dict)
    mentor_capacity: dict[str, int] = field(default_factory=dict)  # members who mentor; others 0
    erased: dict[str, bool] = field(default_factory=dict)  # erased id -> their contributions deleted too


def today() -> date:
    """The date in UTC, the clock of `away_until`."""
    return datetime.now(UTC).date()


def bump_revision(session: Session) -> None:
    """Count a change to live member state, in the caller's transaction."""
    counter = update(LiveRevision).where(LiveRevision.id == 1)
    session.execute(counter.values(revision=LiveRevision.revision + 1))


def revision(sessions: sessionmaker[Session]) -> tuple:
    """What changes when live member state may have: the counter and the members' last import time."""
    with sessions() as session:
        counter = session.scalar(select(LiveRevision.revision).where(LiveRevision.id == 1))
        imported = session.scalar(select(func.max(Member.updated_at)))
    return (counter, imported)


def live_state(sessions: sessionmaker[Session]) -> LiveState:
    """The whole live state: imported opt-outs and capacities, overridden by the members' own choices;
    erased members count as opted out."""
    state = LiveState(revision(sessions))
    with sessions() as session:
        state.opted_out = set(session.scalars(select(Member.id).where(Member.discoverable.is_(False))))
        mentors = select(Member.id, Member.mentor_capacity).where(Member.mentor_capacity > 0)
        state.mentor_capacity = {member: int(n) for member, n in session.execute(mentors)}
        erased = select(ErasedMember.member_id, ErasedMember.with_contributions)
        state.erased = {member: bool(deleted) for member, deleted in session.execute(erased)}
        for row in session.scalars(select(MemberPreference)):
            if row.discoverable is not None:
                (state.opted_out.discard if row.discoverable else state.opted_out.add)(row.member_id)
            if row.away_until is not None:
                state.away_until[row.member_id] = row.away_until
            if row.hidden_topics:
                state.hidden_topics[row.member_id] = list(row.hidden_topics)
            if row.mentor_capacity is not None:
                state.mentor_capacity[row.member_id] = row.mentor_capacity
    state.opted_out |= set(state.erased)
    return state


def effective(session: Session, member: Member) -> Preferences:
    """The preferences in force for a member row."""
    own = session.get(MemberPreference, member.id) or MemberPreference(hidden_topics=[])
    imported_capacity = int(member.mentor_capacity or 0)
    return Preferences(
        member_id=member.id,
        discoverable=bool(member.discoverable if own.discoverable is None else own.discoverable),
        away_until=own.away_until,
        hidden_topics=list(own.hidden_topics or []),
        mentor_capacity=imported_capacity if own.mentor_capacity is None else own.mentor_capacity,
    )


def _member(session: Session, member_id: str) -> Member:
    """The member row; UnknownMemberError when absent."""
    member = session.get(Member, member_id)
    if member is None:
        raise UnknownMemberError(f"unknown member_id {member_id!r}")
    return member


def get_preferences(sessions: sessionmaker[Session], member_id: str) -> Preferences:
    """A member's preferences in force; UnknownMemberError for an unknown member."""
    with sessions() as session:
        return effective(session, _member(session, member_id))


def _check(session: Session, changes: dict) -> None:
    """Refuse unknown fields, a capacity out of range and unknown or too many hidden topics."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise PreferenceError(f"unknown preference field(s): {', '.join(unknown)}")
    capacity = changes.get("mentor_capacity")
    if capacity is not None and not 0 <= capacity <= MAX_MENTOR_CAPACITY:
        raise PreferenceError(f"mentor_capacity must be between 0 and {MAX_MENTOR_CAPACITY}")
    topics = changes.get("hidden_topics") or []
    if len(topics) > MAX_HIDDEN_TOPICS:
        raise PreferenceError(f"at most {MAX_HIDDEN_TOPICS} hidden topics")
    known = set(session.scalars(select(Community.id).where(Community.id.in_(topics)))) if topics else set()
    missing = [t for t in topics if t not in known]
    if missing:
        raise PreferenceError(f"hidden_topics names unknown community id(s): {', '.join(missing)}")


def update_preferences(sessions: sessionmaker[Session], member_id: str, changes: dict) -> Preferences:
    """Apply the given fields (null: back to the imported value, for hidden_topics none); count the change.

    Raises UnknownMemberError for an unknown member, PreferenceError for a change that breaks a rule.
    """
    with transaction(sessions) as session:
        member = _member(session, member_id)
        _check(session, changes)
        own = session.get(MemberPreference, member_id)
        if own is None:
            own = MemberPreference(member_id=member_id, hidden_topics=[])
            session.add(own)
        for name, value in changes.items():
            setattr(own, name, list(dict.fromkeys(value or [])) if name == "hidden_topics" else value)
        own.updated_at = datetime.now(UTC)
        bump_revision(session)
        session.flush()
        return effective(session, member)
