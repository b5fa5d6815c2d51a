"""Importers that bring communities, members and contributions into the store."""

from store.importers.records import BundleError
from store.importers.report import ImportReport, TableCounts

__all__ = ["BundleError", "ImportReport", "TableCounts"]
