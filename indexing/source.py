"""Read what an index is built from out of the store: streamed, in the order the builder needs."""

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from store.tables import Community, Contribution, Feedback, Member, Membership

STREAM_BATCH = 2000


class NothingToIndexError(RuntimeError):
    """The store holds nothing an index could be built from."""


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back zone-less times; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def unix_seconds(moment: datetime) -> float:
    """A stored time as unix seconds."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def source_state(session: Session) -> dict:
    """Row counts and the newest `updated_at`: equal states mean nothing to re-index.

    Deletions show in the counts, inserts and edits in the watermark (importers stamp updated_at);
    new feedback in its count (the ranker learns from it).
    """
    tables = {
        "communities": Community,
        "members": Member,
        "memberships": Membership,
        "contributions": Contribution,
        "feedback": Feedback,
    }
    counts = {name: session.scalar(select(func.count()).select_from(t)) for name, t in tables.items()}
    newest = [_utc(session.scalar(select(func.max(t.updated_at)))) for t in (Community, Member, Contribution)]
    present = [moment for moment in newest if moment is not None]
    watermark = max(present).isoformat() if present else None
    return {"watermark": watermark, "counts": counts}


def read_communities(session: Session) -> list[Row]:
    """Every community (id, name, description, tags, parent_id), by id."""
    columns = (
        Community.id,
        Community.name,
        Community.description,
        Community.tags,
        Community.parent_id,
    )
    return list(session.execute(select(*columns).order_by(Community.id)))


def read_members(session: Session) -> list[Row]:
    """Every member with the attributes a snapshot keeps, by id."""
    columns = (
        Member.id,
        Member.name,
        Member.title,
        Member.profile,
        Member.skills,
        Member.interests,
        Member.discoverable,
        Member.mentor_capacity,
        Member.timezone,
        Member.languages,
        Member.manager_id,
    )
    statement = select(*columns).order_by(Member.id).execution_options(yield_per=STREAM_BATCH)
    return list(session.execute(statement))


def read_memberships(session: Session) -> dict[str, list[str]]:
    """Community ids each member belongs to."""
    statement = select(Membership.member_id, Membership.community_id).order_by(
        Membership.member_id, Membership.community_id
    )
    communities: dict[str, list[str]] = {}
    for member_id, community_id in session.execute(statement.execution_options(yield_per=STREAM_BATCH)):
        communities.setdefault(member_id, []).append(community_id)
    return communities


def iter_contributions(session: Session) -> Iterator[Row]:
    """Contributions streamed thread by thread, each thread's root (id == thread_id) first.

    Only the current thread's root needs holding to give replies their thread context.
    """
    root_first = case((Contribution.id == Contribution.thread_id, 0), else_=1)
    columns = (
        Contribution.id,
        Contribution.author_id,
        Contribution.kind,
        Contribution.created_at,
        Contribution.community_id,
        Contribution.title,
        Contribution.body,
        Contribution.thread_id,
        Contribution.accepted,
        Contribution.score,
        Contribution.tags,
    )
    statement = (
        select(*columns)
        .order_by(Contribution.thread_id, root_first, Contribution.created_at, Contribution.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    yield from session.execute(statement)


def read_feedback(session: Session) -> list[Row]:
    """Verdicts on suggested experts that the ranker learns from (query, item_id, verdict), oldest first."""
    statement = (
        select(Feedback.query, Feedback.item_id, Feedback.verdict)
        .where(
            Feedback.recommendation == "experts",
            Feedback.verdict.in_(("helpful", "no_response")),
            Feedback.query != "",
        )
        .order_by(Feedback.id)
    )
    return list(session.execute(statement))
