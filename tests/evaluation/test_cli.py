"""`copmatch evaluate` argument and input errors (caught before any encoder loads)."""

from typer.testing import CliRunner

from service.cli import app
from tests.store.bundles import CONTRIBUTIONS, write_bundle

runner = CliRunner()


def test_exactly_one_dataset_is_required(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["evaluate", "experts", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "give exactly one of --bundle DIR and --stackexchange DIR" in result.output


def test_broken_bundle_names_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = [*CONTRIBUTIONS, {"id": "x", "author_id": "u1", "kind": "foo", "created_at": "2021"}]
    folder = write_bundle(tmp_path / "b", contributions=broken)
    result = runner.invoke(app, ["evaluate", "mentors", "--bundle", str(folder), "--out", "o"])
    assert result.exit_code == 2
    assert "contributions.jsonl line 5" in result.output


def test_solutions_need_a_dump(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["evaluate", "solutions", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "solutions needs --stackexchange DIR" in result.output
