"""`copmatch import` and `copmatch stats` through the typer app."""

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.store.bundles import CONTRIBUTIONS, write_bundle

runner = CliRunner()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_import_bundle_prints_one_line_per_table(tmp_path):
    result = runner.invoke(app, ["import", "bundle", str(write_bundle(tmp_path / "b"))])
    assert result.exit_code == 0, result.output
    assert "contributions: 4 added, 0 updated, 0 unchanged, 0 removed" in result.stdout
    assert "members: 3 added" in result.stdout


def test_import_broken_bundle_exits_2_naming_file_and_line(tmp_path):
    broken = [*CONTRIBUTIONS, {"id": "x", "author_id": "u1", "kind": "foo", "created_at": "2021"}]
    folder = write_bundle(tmp_path / "b", contributions=broken)
    result = runner.invoke(app, ["import", "bundle", str(folder)])
    assert result.exit_code == 2
    assert "error: contributions.jsonl line 5: unknown kind 'foo'" in result.stderr


def test_stats_shows_counts_and_levels(tmp_path):
    runner.invoke(app, ["import", "bundle", str(write_bundle(tmp_path / "b"))])
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert lines["community"] == [
        "members",
        "contributions",
        "questions",
        "answers",
        "accepted",
        "core",
        "active",
        "peripheral",
        "newcomer",
    ]
    assert lines["db/pg"] == ["3", "3", "1", "1", "1", "1", "1", "1", "0"]
    assert lines["db"] == ["3", "1", "0", "0", "0", "1", "1", "1", "0"]  # covers db/pg's members


def test_stats_on_empty_store_says_so():
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "no communities yet" in result.stdout


def test_import_bundle_prune_flag(tmp_path):
    runner.invoke(app, ["import", "bundle", str(write_bundle(tmp_path / "b"))])
    fewer = write_bundle(tmp_path / "b2", contributions=CONTRIBUTIONS[:3])
    result = runner.invoke(app, ["import", "bundle", str(fewer), "--prune"])
    assert result.exit_code == 0, result.output
    assert "contributions: 0 added, 0 updated, 3 unchanged, 1 removed" in result.stdout


def test_import_slack_export_and_broken_day_file(tmp_path):
    from tests.store.slack_exports import export_files, write_export

    result = runner.invoke(app, ["import", "slack", str(write_export(tmp_path / "s")), "--channels", "data*"])
    assert result.exit_code == 0, result.output
    assert "contributions: 8 added" in result.stdout
    files = export_files()
    files["random/2021-03-01.json"] = [{"user": "U1"}]
    result = runner.invoke(app, ["import", "slack", str(write_export(tmp_path / "bad", files))])
    assert result.exit_code == 2
    assert "error: random/2021-03-01.json [0]: missing required field 'ts'" in result.stderr


def test_import_discourse_reads_the_forum_and_names_refusals(monkeypatch):
    import httpx

    from store.importers import discourse_client
    from tests.store.fake_discourse import FakeForum

    forum = FakeForum(api_key="k1")
    real = discourse_client.httpx.AsyncClient

    def local(**options):  # type: ignore[no-untyped-def]
        return real(**(options | {"transport": httpx.ASGITransport(app=forum.app)}))

    monkeypatch.setattr(discourse_client.httpx, "AsyncClient", local)
    monkeypatch.setenv("COPMATCH_DISCOURSE_API_KEY", "k1")
    result = runner.invoke(
        app, ["import", "discourse", "https://forum.example.org", "--categories", "off-topic"]
    )
    assert result.exit_code == 0, result.output
    assert "contributions: 1 added" in result.stdout
    monkeypatch.setenv("COPMATCH_DISCOURSE_API_KEY", "wrong")
    result = runner.invoke(app, ["import", "discourse", "https://forum.example.org"])
    assert result.exit_code == 2
    assert "error: /categories.json: HTTP 403 forbidden" in result.stderr
    result = runner.invoke(app, ["import", "discourse", "forum.example.org"])
    assert result.exit_code == 2
    assert "error: forum.example.org: not a forum URL" in result.stderr
