"""`copmatch evaluate` argument and input errors (caught before any encoder loads)."""

from typer.testing import CliRunner

from service.cli import app
from tests.store.bundles import CONTRIBUTIONS, write_bundle

runner = CliRunner()


def test_exactly_one_dataset_is_required(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["evaluate", "experts", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert (
        "give exactly one of --bundle DIR, --stackexchange DIR, --slack EXPORT, --discourse URL"
        in result.output
    )


def test_broken_bundle_names_file_and_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = [*CONTRIBUTIONS, {"id": "x", "author_id": "u1", "kind": "foo", "created_at": "2021"}]
    folder = write_bundle(tmp_path / "b", contributions=broken)
    result = runner.invoke(app, ["evaluate", "mentors", "--bundle", str(folder), "--out", "o"])
    assert result.exit_code == 2
    assert "contributions.jsonl line 5" in result.output


def test_health_reads_its_bundle_like_the_others(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = [*CONTRIBUTIONS, {"id": "x", "author_id": "u1", "kind": "foo", "created_at": "2021"}]
    folder = write_bundle(tmp_path / "b", contributions=broken)
    result = runner.invoke(app, ["evaluate", "health", "--bundle", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "contributions.jsonl line 5" in result.output


def test_solutions_need_a_dump(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["evaluate", "solutions", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "solutions needs --stackexchange DIR" in result.output


def test_slack_export_is_read_like_a_bundle(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.store.slack_exports import export_files, write_export

    files = export_files()
    files["random/2021-03-01.json"] = [{"user": "U1", "ts": "soon"}]
    export = write_export(tmp_path / "export.zip", files, as_zip=True)
    result = runner.invoke(app, ["evaluate", "experts", "--slack", str(export), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "random/2021-03-01.json [0]: field 'ts'" in result.output


def test_discourse_forum_is_read_like_a_bundle(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import httpx

    from store.importers import discourse_client
    from tests.store.fake_discourse import FakeForum

    forum = FakeForum(api_key="k1")
    real = discourse_client.httpx.AsyncClient
    transport = httpx.ASGITransport(app=forum.app)
    monkeypatch.setattr(
        discourse_client.httpx, "AsyncClient", lambda **kw: real(**(kw | {"transport": transport}))
    )
    result = runner.invoke(app, ["evaluate", "mentors", "--discourse", "https://f.example", "--out", "o"])
    assert result.exit_code == 2
    assert "/categories.json: HTTP 401 not authorized" in result.output
    assert forum.requests == ["/categories.json?include_subcategories=true"]
