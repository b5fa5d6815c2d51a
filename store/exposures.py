"""Persisted per-day recommendation counts, the memory behind load spreading."""

from collections.abc import Callable, Mapping

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Exposure

_INSERT: dict[str, Callable[[type[Exposure]], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def add_exposures(sessions: sessionmaker[Session], counts: Mapping[tuple[str, str], int]) -> None:
    """Add (member_id, day) -> count to the stored totals in one upsert (INSERT ... ON CONFLICT).

    Atomic per row, so replicas flushing the same members at once neither fail nor lose counts;
    rows go in key order, so two such flushes cannot deadlock.
    """
    if not counts:
        return
    rows = [{"member_id": m, "day": d, "count": n} for (m, d), n in sorted(counts.items())]
    with transaction(sessions) as session:
        insert = _INSERT[session.get_bind().dialect.name](Exposure)
        upsert = insert.on_conflict_do_update(
            index_elements=[Exposure.member_id, Exposure.day],
            set_={"count": Exposure.count + insert.excluded["count"]},
        )
        session.execute(upsert, rows)


def exposures_since(sessions: sessionmaker[Session], first_day: str) -> dict[tuple[str, str], int]:
    """Stored counts from `first_day` (YYYY-MM-DD) on."""
    query = select(Exposure.member_id, Exposure.day, Exposure.count).where(Exposure.day >= first_day)
    with sessions() as session:
        return {(member_id, day): count for member_id, day, count in session.execute(query)}
