"""What a member's contributions show: topics (tags) with evidence counts."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.tables import Community, Contribution, Member

EVIDENCE_KINDS = ("answer", "solution", "document", "post")


def member_topics(sessions: sessionmaker[Session], member_id: str, limit: int = 15) -> list[dict] | None:
    """Tags of the member's answers, solutions, documents and posts, most shown first; None if unknown."""
    with sessions() as session:
        if session.get(Member, member_id) is None:
            return None
        rows = session.execute(
            select(Contribution.tags, Contribution.accepted).where(
                Contribution.author_id == member_id, Contribution.kind.in_(EVIDENCE_KINDS)
            )
        ).all()
    shown: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    for tags, was_accepted in rows:
        for tag in tags or []:
            shown[tag] += 1
            accepted[tag] += bool(was_accepted)
    return [
        {"topic": tag, "contributions": n, "accepted": accepted[tag]} for tag, n in shown.most_common(limit)
    ]


def contribution(sessions: sessionmaker[Session], contribution_id: str) -> dict | None:
    """One contribution's text and place, None if unknown."""
    with sessions() as session:
        row = session.get(Contribution, contribution_id)
        if row is None:
            return None
        community = session.get(Community, row.community_id) if row.community_id else None
        return {
            "id": row.id,
            "kind": row.kind,
            "title": row.title,
            "body": row.body,
            "accepted": row.accepted,
            "day": row.created_at.date().isoformat(),
            "community": community.name if community else None,
            "author_id": row.author_id,
        }
