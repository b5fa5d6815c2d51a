"""The index format number, apart from the snapshot so that reading a manifest imports no model code."""

FORMAT = 8  # bumped when a version's files change meaning: older versions are rebuilt
