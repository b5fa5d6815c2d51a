"""Recommendation feedback, kept for offline evaluation."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Community, Contribution, Feedback, Member

ITEM_TABLES = {"experts": Member, "mentors": Member, "solutions": Contribution, "communities": Community}


class UnknownItemError(LookupError):
    """Feedback named an item that the store does not hold."""


def add_feedback(
    sessions: sessionmaker[Session],
    *,
    recommendation: str,
    item_id: str,
    verdict: str,
    query: str,
    index_version: int | None,
    api_key_name: str,
) -> int:
    """Store one verdict on an existing item (UnknownItemError otherwise); returns its id."""
    with transaction(sessions) as session:
        if session.get(ITEM_TABLES[recommendation], item_id) is None:
            raise UnknownItemError(f"unknown item_id {item_id!r} for {recommendation} feedback")
        row = Feedback(
            recommendation=recommendation,
            item_id=item_id,
            verdict=verdict,
            query=query,
            index_version=index_version,
            api_key_name=api_key_name,
            created_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        return row.id
