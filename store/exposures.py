"""Persisted per-day recommendation counts, the memory behind load spreading."""

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Exposure


def add_exposures(sessions: sessionmaker[Session], counts: Mapping[tuple[str, str], int]) -> None:
    """Add (member_id, day) -> count to the stored totals (portable read-then-write)."""
    if not counts:
        return
    with transaction(sessions) as session:
        for (member_id, day), count in counts.items():
            row = session.get(Exposure, (member_id, day))
            if row is None:
                session.add(Exposure(member_id=member_id, day=day, count=count))
            else:
                row.count += count


def exposures_since(sessions: sessionmaker[Session], first_day: str) -> dict[tuple[str, str], int]:
    """Stored counts from `first_day` (YYYY-MM-DD) on."""
    with sessions() as session:
        rows = session.execute(select(Exposure).where(Exposure.day >= first_day)).scalars()
        return {(r.member_id, r.day): r.count for r in rows}
