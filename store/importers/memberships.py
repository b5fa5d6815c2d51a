"""Store memberships: given by the input, or derived from who contributed where.

Derivation rule: a member belongs to each community they contributed to (not to its parent),
joined at their first contribution there (`derived=True`). A derived membership never
overrides one given explicitly, and only ever moves its joined_at earlier.
"""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row as SqlRow
from sqlalchemy import Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from store.importers.records import Batch, ContributionRecord, Located, as_utc
from store.importers.report import TableCounts
from store.tables import Membership

Key = tuple[str, str]
Values = dict[str, Any]
Stored = SqlRow[str, str, datetime | None, str, bool]
_COLUMNS = select(
    Membership.member_id,
    Membership.community_id,
    Membership.joined_at,
    Membership.role,
    Membership.derived,
)


def upsert_memberships(session: Session, batch: Batch, prune: bool) -> TableCounts:
    """Insert new and update changed memberships; with `prune`, drop those the batch lacks.

    Pruning is limited to the batch's communities and, when derived, to derived memberships.
    """
    existing = {(m.member_id, m.community_id): m for m in session.execute(_COLUMNS)}
    derived = batch.memberships is None
    wanted = _derived_rows(batch.contributions, existing) if derived else _given_rows(batch)
    counts = TableCounts()
    new: list[Values] = []
    changed: list[Values] = []
    for key, row in wanted.items():
        old = existing.get(key)
        if old is None:
            new.append(row)
        elif _same(old, row):
            counts.unchanged += 1
        else:
            changed.append(row)
    if new:
        session.execute(insert(Membership).execution_options(render_nulls=True), new)
    if changed:
        session.execute(update(Membership), changed)
    counts.added, counts.updated = len(new), len(changed)
    if prune:
        scope = {item.record.id for item in batch.communities}
        gone = [
            {"m": key[0], "c": key[1]}
            for key, old in existing.items()
            if key[1] in scope and key not in wanted and (old.derived or not derived)
        ]
        _delete(session, gone)
        counts.removed = len(gone)
    return counts


def _given_rows(batch: Batch) -> dict[Key, Values]:
    """Rows of the memberships listed in the input."""
    rows: dict[Key, Values] = {}
    for item in batch.memberships or []:
        row = item.record.model_dump() | {"derived": False}
        rows[(row["member_id"], row["community_id"])] = row
    return rows


def _derived_rows(
    contributions: list[Located[ContributionRecord]], existing: dict[Key, Stored]
) -> dict[Key, Values]:
    """Rows for (author, community) pairs, keeping the earliest join time already stored."""
    first: dict[Key, datetime] = {}
    for item in contributions:
        record = item.record
        if record.community_id is None:
            continue
        key = (record.author_id, record.community_id)
        first[key] = min(first.get(key, record.created_at), record.created_at)
    rows: dict[Key, Values] = {}
    for key, joined_at in first.items():
        old = existing.get(key)
        if old is not None and not old.derived:
            rows[key] = _as_row(old)
            continue
        if old is not None and old.joined_at is not None:
            joined_at = min(joined_at, as_utc(old.joined_at))
        rows[key] = {
            "member_id": key[0],
            "community_id": key[1],
            "joined_at": joined_at,
            "role": "",
            "derived": True,
        }
    return rows


def _as_row(membership: Stored) -> Values:
    """A stored membership as row values, so that it compares unchanged."""
    return membership._asdict()


def _same(old: Stored, row: Values) -> bool:
    """Whether a stored membership already holds `row` (times compared in UTC)."""
    old_time = as_utc(old.joined_at) if old.joined_at else None
    new_time = as_utc(row["joined_at"]) if row["joined_at"] else None
    return (old_time, old.role, old.derived) == (new_time, row["role"], row["derived"])


def _delete(session: Session, keys: list[dict[str, str]]) -> None:
    """Delete memberships by (member, community) key, as one executemany."""
    if not keys:
        return
    table = cast(Table, Membership.__table__)  # declarative tables are Core Tables
    session.execute(
        delete(table).where(
            and_(table.c.member_id == bindparam("m"), table.c.community_id == bindparam("c"))
        ),
        keys,
    )
