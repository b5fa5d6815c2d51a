"""The one-way directions of the code base: models/ imports none of our packages, service/ never
imports evaluation/ (the CLI finds `copmatch evaluate` through an entry point instead)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"service", "models", "indexing", "evaluation", "store"}
FORBIDDEN = {"models": OURS - {"models"}, "service": {"evaluation"}, "store": {"service", "evaluation"}}


def _imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_against_the_direction(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_evaluate_is_registered_from_evaluation() -> None:
    from typer.main import get_group

    from service.cli import app

    assert "evaluate" in get_group(app).commands
