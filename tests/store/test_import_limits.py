"""Bounded import input: an overlong line, text field or list, invalid UTF-8 and a StackExchange row
without its id are each refused naming file and line, and nothing is stored."""

import gzip

import pytest
from typer.testing import CliRunner

from service.cli import app
from store.importers import BundleError, limits
from store.importers.bundle import import_bundle
from store.tables import Contribution
from tests.store.bundles import CONTRIBUTIONS, write_bundle
from tests.store.test_stackexchange import USERS, _dump

QUESTION = {"id": "q9", "author_id": "u1", "kind": "question", "created_at": "2021-01-01"}


def _questions(count: int) -> list[dict]:
    return [{**QUESTION, "id": f"q{i}", "title": f"question {i}"} for i in range(100, 100 + count)]


def _refused(sessions, folder, line: int, fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BundleError) as caught:
        import_bundle(sessions, folder)
    assert (caught.value.file, caught.value.line) == ("contributions.jsonl", line)
    assert fragment in caught.value.message
    with sessions() as session:
        assert session.query(Contribution).count() == 0


def test_invalid_utf8_is_reported_on_its_own_line(sessions, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", contributions=_questions(800))
    path = folder / "contributions.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[-1] = lines[-1].replace(b"question 899", b"question \xff\xfe 899")
    path.write_bytes(b"".join(lines))
    _refused(sessions, folder, 800, "not valid UTF-8")


def test_invalid_utf8_in_a_gzip_bundle_is_reported_on_its_line(sessions, tmp_path) -> None:
    folder = write_bundle(tmp_path / "b", contributions=_questions(300))
    plain = folder / "contributions.jsonl"
    lines = plain.read_bytes().splitlines(keepends=True)
    lines[296] = lines[296].replace(b"question", b"quest\xc3ion")
    (folder / "contributions.jsonl.gz").write_bytes(gzip.compress(b"".join(lines)))
    plain.unlink()
    with pytest.raises(BundleError) as caught:
        import_bundle(sessions, folder)
    assert (caught.value.file, caught.value.line) == ("contributions.jsonl.gz", 297)


def test_overlong_line_is_refused_before_it_is_held(sessions, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 4096)
    records = [*CONTRIBUTIONS, {**QUESTION, "title": "x" * 5000}]
    _refused(sessions, write_bundle(tmp_path / "b", contributions=records), 5, "line longer than 4,096 bytes")


def test_a_line_of_exactly_the_limit_is_taken(sessions, tmp_path, monkeypatch) -> None:
    folder = write_bundle(tmp_path / "b")
    longest = max(
        len(line) for line in (folder / "contributions.jsonl").read_bytes().splitlines(keepends=True)
    )
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", longest)
    assert import_bundle(sessions, folder).tables["contributions"].added == len(CONTRIBUTIONS)


def test_overlong_text_field_is_refused_naming_the_field(sessions, tmp_path) -> None:
    records = [*CONTRIBUTIONS, {**QUESTION, "body": "y" * (limits.MAX_TEXT_CHARS + 1)}]
    _refused(sessions, write_bundle(tmp_path / "b", contributions=records), 5, "field 'body'")


def test_overlong_list_is_refused_naming_the_field(sessions, tmp_path) -> None:
    tags = [f"t{i}" for i in range(limits.MAX_LIST_ITEMS + 1)]
    records = [*CONTRIBUTIONS, {**QUESTION, "tags": tags}]
    _refused(sessions, write_bundle(tmp_path / "b", contributions=records), 5, "field 'tags'")


def test_overlong_id_is_refused(sessions, tmp_path) -> None:
    records = [*CONTRIBUTIONS, {**QUESTION, "id": "q" * (limits.MAX_ID_CHARS + 1)}]
    _refused(sessions, write_bundle(tmp_path / "b", contributions=records), 5, "field 'id'")


def test_out_of_range_integer_is_refused(sessions, tmp_path) -> None:
    records = [*CONTRIBUTIONS, {**QUESTION, "score": 2**63}]
    _refused(sessions, write_bundle(tmp_path / "b", contributions=records), 5, "field 'score'")


def test_stackexchange_user_without_id_exits_2_naming_file_and_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COPMATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("COPMATCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    folder = _dump(tmp_path / "dump")
    users = USERS.replace('<row Id="15" DisplayName="Nat"', '<row DisplayName="Nat"')
    (folder / "Users.xml").write_text('<?xml version="1.0" encoding="utf-8"?>\n' + users)
    result = CliRunner().invoke(app, ["import", "stackexchange", str(folder)])
    assert result.exit_code == 2, result.output
    assert "error: Users.xml line 5: row without the required attribute 'Id'" in result.stderr
