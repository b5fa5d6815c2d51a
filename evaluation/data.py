"""Where the shared evaluation data lies: ../shared/data beside the repository (never copied into it)."""

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BUNDLES = DATA / "bundles"
