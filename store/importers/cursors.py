"""Where incremental importers got to, per source: read before a run, saved with its batch."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.tables import ImportCursor


def load_cursors(sessions: sessionmaker[Session], prefix: str) -> dict[str, str]:
    """Every stored cursor whose source starts with `prefix`."""
    with sessions() as session:
        rows = session.execute(
            select(ImportCursor.source, ImportCursor.position).where(ImportCursor.source.startswith(prefix))
        )
        return {source: position for source, position in rows}


def save_cursors(session: Session, cursors: dict[str, str]) -> None:
    """Insert or move the given cursors, inside the caller's transaction."""
    now = datetime.now(UTC)
    for source, position in cursors.items():
        row = session.get(ImportCursor, source)
        if row is None:
            session.add(ImportCursor(source=source, position=position, updated_at=now))
        else:
            row.position, row.updated_at = position, now
