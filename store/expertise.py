"""Contributions as evidence: which kinds count, and one contribution to show."""

from sqlalchemy.orm import Session, sessionmaker

from store.tables import Community, Contribution

EVIDENCE_KINDS = ("answer", "solution", "document", "post")


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
