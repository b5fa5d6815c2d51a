"""Read-only store queries for reports."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.tables import Community, Contribution


@dataclass
class CommunityCounts:
    """What was contributed directly in one community (sub-communities not included)."""

    community_id: str
    contributions: int = 0
    questions: int = 0
    answers: int = 0
    accepted: int = 0


def community_counts(session: Session) -> list[CommunityCounts]:
    """Per community, ordered by id: its contributions, questions, answers and accepted ones."""
    counts = {
        cid: CommunityCounts(cid) for cid in session.scalars(select(Community.id).order_by(Community.id))
    }
    rows = session.execute(
        select(Contribution.community_id, Contribution.kind, Contribution.accepted, func.count())
        .where(Contribution.community_id.is_not(None))
        .group_by(Contribution.community_id, Contribution.kind, Contribution.accepted)
    )
    for community_id, kind, accepted, count in rows:
        assert community_id is not None  # excluded by the query
        entry = counts[community_id]
        entry.contributions += count
        entry.questions += count if kind == "question" else 0
        entry.answers += count if kind == "answer" else 0
        entry.accepted += count if accepted else 0
    return list(counts.values())
