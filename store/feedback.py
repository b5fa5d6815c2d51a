"""Recommendation feedback, kept for offline evaluation."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Feedback


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
    """Store one verdict; returns its id."""
    with transaction(sessions) as session:
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
