"""Persistence: settings, tables, migrations, importers and store queries."""
