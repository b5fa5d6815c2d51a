"""What an import did, per table."""

from dataclasses import dataclass, field


@dataclass
class TableCounts:
    """Rows of one table an import added, updated, left unchanged and removed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def summary(self) -> str:
        """One readable line of counts."""
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.removed} removed"
        )


@dataclass
class ImportReport:
    """Counts per table: communities, members, contributions, memberships."""

    tables: dict[str, TableCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether the import wrote anything."""
        return any(c.added or c.updated or c.removed for c in self.tables.values())
