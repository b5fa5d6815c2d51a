"""Store the links between contributions that a batch states (insert what is new)."""

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from store.importers.records import LinkRecord, Located
from store.importers.report import TableCounts
from store.tables import ContributionLink


def upsert_links(session: Session, links: list[Located[LinkRecord]]) -> TableCounts:
    """Insert the links not stored yet; a link has no other content, so none is ever updated."""
    table = ContributionLink
    stored = {tuple(row) for row in session.execute(select(table.from_id, table.to_id, table.kind))}
    rows = [item.record.model_dump() for item in links]
    new = [row for row in rows if (row["from_id"], row["to_id"], row["kind"]) not in stored]
    if new:
        session.execute(insert(ContributionLink), new)
    return TableCounts(added=len(new), unchanged=len(rows) - len(new))
