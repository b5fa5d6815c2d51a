"""Persisted per-day recommendation counts, the memory behind load spreading."""

from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Exposure

CHUNK = 500  # ids per IN (...) clause


def add_exposures(sessions: sessionmaker[Session], counts: Mapping[tuple[str, str], int]) -> None:
    """Add (member_id, day) -> count to the stored totals: existing rows read in chunks, the rest inserted."""
    if not counts:
        return
    by_day: dict[str, list[str]] = defaultdict(list)
    for member_id, day in counts:
        by_day[day].append(member_id)
    with transaction(sessions) as session:
        for day, members in by_day.items():
            for start in range(0, len(members), CHUNK):
                chunk = members[start : start + CHUNK]
                query = select(Exposure).where(Exposure.day == day, Exposure.member_id.in_(chunk))
                stored = {row.member_id: row for row in session.scalars(query)}
                for member_id in chunk:
                    if member_id in stored:
                        stored[member_id].count += counts[(member_id, day)]
                    else:
                        session.add(Exposure(member_id=member_id, day=day, count=counts[(member_id, day)]))


def exposures_since(sessions: sessionmaker[Session], first_day: str) -> dict[tuple[str, str], int]:
    """Stored counts from `first_day` (YYYY-MM-DD) on."""
    query = select(Exposure.member_id, Exposure.day, Exposure.count).where(Exposure.day >= first_day)
    with sessions() as session:
        return {(member_id, day): count for member_id, day, count in session.execute(query)}
