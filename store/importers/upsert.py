"""Write a validated batch into the store in one transaction: insert new rows, update changed
rows (by content hash), leave the rest untouched; optionally prune what a full export lacks."""

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.erasure import screen_batch
from store.importers.cursors import save_cursors
from store.importers.links import upsert_links
from store.importers.memberships import upsert_memberships
from store.importers.records import Batch
from store.importers.references import KnownIds, check_references, thread_ids
from store.importers.report import ImportReport, TableCounts
from store.tables import Community, Contribution, Member

log = logging.getLogger(__name__)
Values = dict[str, Any]


def store_batch(sessions: sessionmaker[Session], batch: Batch, prune: bool = False) -> ImportReport:
    """Check the batch's references against the store, then upsert it; all or nothing.

    With `prune`, contributions of the batch's communities that the batch lacks are deleted
    (the batch is a full export of those communities); members are never deleted. Erased members
    stay erased (store.erasure.screen_batch). The batch's links are added and its cursors saved
    in the same transaction.
    Raises BundleError (before anything is written) on a dangling reference or a parent loop.
    """
    started = time.perf_counter()
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        screened = screen_batch(session, batch)
        batch = screened.batch
        communities = _stored_hashes(session, Community)
        members = _stored_hashes(session, Member)
        stored = session.execute(
            select(
                Contribution.id,
                Contribution.content_hash,
                Contribution.thread_id,
                Contribution.community_id,
            )
        ).all()
        pruned = _pruned_ids(batch, stored) if prune else []
        known_contributions = frozenset(row.id for row in stored) - set(pruned)
        check_references(batch, KnownIds(frozenset(members), frozenset(communities), known_contributions))
        threads = thread_ids(batch.contributions, {row.id: row.thread_id for row in stored})
        report = ImportReport()
        report.tables["communities"] = _upsert(
            session, Community, [i.record.model_dump() for i in batch.communities], communities, now
        )
        report.tables["members"] = _upsert(
            session, Member, [i.record.model_dump() for i in batch.members], members, now
        )
        contributions = [
            i.record.model_dump() | {"thread_id": threads[i.record.id]} for i in batch.contributions
        ]
        report.tables["contributions"] = _upsert(
            session, Contribution, contributions, {row.id: row.content_hash for row in stored}, now
        )
        report.tables["memberships"] = upsert_memberships(session, batch, prune)
        if batch.links:
            report.tables["links"] = upsert_links(session, batch.links)
        _delete_contributions(session, pruned + screened.dropped)
        report.tables["contributions"].removed = len(pruned) + len(screened.dropped)
        save_cursors(session, batch.cursors)
    log.info("batch stored in %.2f s", time.perf_counter() - started)
    return report


def content_hash(values: Values) -> str:
    """sha256 of a row's values as canonical JSON (sorted keys, times in ISO 8601)."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=datetime.isoformat)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stored_hashes(session: Session, table: type[Community] | type[Member]) -> dict[str, str]:
    """Every stored id of `table` with its content hash, in one query."""
    return dict(session.execute(select(table.id, table.content_hash)).all())


def _pruned_ids(batch: Batch, stored: Sequence[Row[str, str, str, str | None]]) -> list[str]:
    """Stored contributions of the batch's communities that the batch does not contain."""
    scope = {item.record.id for item in batch.communities}
    present = {item.record.id for item in batch.contributions}
    return [row.id for row in stored if row.community_id in scope and row.id not in present]


def _upsert(
    session: Session, table: type, rows: list[Values], hashes: dict[str, str], now: datetime
) -> TableCounts:
    """Bulk-insert rows with new ids and bulk-update rows whose content hash changed."""
    new: list[Values] = []
    changed: list[Values] = []
    for row in rows:
        digest = content_hash(row)
        old = hashes.get(row["id"])
        if old == digest:
            continue
        row |= {"content_hash": digest, "updated_at": now}
        (new if old is None else changed).append(row)
    if new:
        session.execute(insert(table).execution_options(render_nulls=True), new)
    if changed:
        session.execute(update(table), changed)
    return TableCounts(added=len(new), updated=len(changed), unchanged=len(rows) - len(new) - len(changed))


def _delete_contributions(session: Session, ids: list[str]) -> None:
    """Delete contributions by id, as one executemany."""
    if ids:
        table = cast(Table, Contribution.__table__)  # declarative tables are Core Tables
        session.execute(delete(table).where(table.c.id == bindparam("i")), [{"i": i} for i in ids])
