"""Bundle import: counts, threads, memberships, idempotence, updates, pruning, rejection."""

from datetime import UTC, datetime

import pytest

from store.importers import BundleError
from store.importers.bundle import import_bundle
from store.tables import Contribution, Member, Membership
from tests.store.bundles import CONTRIBUTIONS, MEMBERS, snapshot, write_bundle


def _counts(report) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    return {t: (c.added, c.updated, c.unchanged, c.removed) for t, c in report.tables.items()}


def test_import_counts_threads_and_times(sessions, tmp_path):
    report = import_bundle(sessions, write_bundle(tmp_path / "b"))
    assert _counts(report) == {
        "communities": (2, 0, 0, 0),
        "members": (3, 0, 0, 0),
        "contributions": (4, 0, 0, 0),
        "memberships": (4, 0, 0, 0),
    }
    with sessions() as session:
        threads = {c.id: c.thread_id for c in session.query(Contribution)}
        comment = session.get(Contribution, "c1")
        ana = session.get(Member, "u1")
    assert threads == {"q1": "q1", "a1": "q1", "c1": "q1", "d1": "d1"}
    assert comment.created_at.replace(tzinfo=UTC) == datetime(2021, 3, 1, 10, tzinfo=UTC)
    assert (ana.email, ana.chat_user_id, ana.discoverable) == ("ana@example.org", "U01", True)


def test_memberships_derived_from_contributions(sessions, tmp_path):
    import_bundle(sessions, write_bundle(tmp_path / "b"))
    with sessions() as session:
        rows = {(m.member_id, m.community_id): m for m in session.query(Membership)}
    assert set(rows) == {("u2", "db/pg"), ("u1", "db/pg"), ("u3", "db/pg"), ("u1", "db")}
    assert all(m.derived for m in rows.values())
    assert rows[("u1", "db/pg")].joined_at.replace(tzinfo=UTC) == datetime(2021, 3, 1, 11, tzinfo=UTC)


def test_memberships_file_is_used_when_present(sessions, tmp_path):
    given = [{"member_id": "u3", "community_id": "db", "role": "coordinator"}]
    report = import_bundle(sessions, write_bundle(tmp_path / "b", memberships=given))
    assert _counts(report)["memberships"] == (1, 0, 0, 0)
    with sessions() as session:
        (membership,) = session.query(Membership).all()
    assert (membership.member_id, membership.role, membership.derived) == (
        "u3",
        "coordinator",
        False,
    )


def test_gzip_bundle_imports_the_same(sessions, tmp_path):
    report = import_bundle(sessions, write_bundle(tmp_path / "b", gz=True))
    assert report.tables["contributions"].added == 4
    assert report.tables["members"].added == 3


def test_reimport_changes_nothing(sessions, tmp_path):
    folder = write_bundle(tmp_path / "b")
    import_bundle(sessions, folder)
    before = snapshot(sessions)
    report = import_bundle(sessions, folder)
    assert not report.changed
    assert _counts(report)["contributions"] == (0, 0, 4, 0)
    assert snapshot(sessions) == before


def test_changed_body_updates_one_row(sessions, tmp_path):
    import_bundle(sessions, write_bundle(tmp_path / "b"))
    before = {row[0]: row for row in snapshot(sessions)["contributions"]}
    edited = [dict(c, body="use a covering index") if c["id"] == "a1" else c for c in CONTRIBUTIONS]
    report = import_bundle(sessions, write_bundle(tmp_path / "b2", contributions=edited))
    assert _counts(report)["contributions"] == (0, 1, 3, 0)
    after = {row[0]: row for row in snapshot(sessions)["contributions"]}
    assert [i for i in after if after[i] != before[i]] == ["a1"]
    with sessions() as session:
        assert session.get(Contribution, "a1").body == "use a covering index"


def test_prune_deletes_absent_contributions_only_when_asked(sessions, tmp_path):
    import_bundle(sessions, write_bundle(tmp_path / "b"))
    fewer = write_bundle(tmp_path / "b2", contributions=CONTRIBUTIONS[:3])
    assert import_bundle(sessions, fewer).tables["contributions"].removed == 0
    report = import_bundle(sessions, fewer, prune=True)
    assert _counts(report)["contributions"] == (0, 0, 3, 1)
    assert report.tables["memberships"].removed == 1
    with sessions() as session:
        assert session.get(Contribution, "d1") is None
        assert session.query(Member).count() == 3


def test_references_may_point_into_the_store(sessions, tmp_path):
    import_bundle(sessions, write_bundle(tmp_path / "b"))
    reply = {
        "id": "c2",
        "author_id": "u2",
        "kind": "comment",
        "parent_id": "c1",
        "community_id": "db/pg",
        "created_at": "2021-05-01T00:00:00Z",
    }
    import_bundle(sessions, write_bundle(tmp_path / "b2", [], [], [reply]))
    with sessions() as session:
        assert session.get(Contribution, "c2").thread_id == "q1"


COMMUNITIES_WITH_NEW = [
    {"id": "db", "name": "Databases"},
    {"id": "db/pg", "name": "PostgreSQL", "parent_id": "db"},
    {"id": "db/new", "name": "New", "parent_id": "db"},
]


BROKEN = [
    ("contributions", '{"id": "q9", "author_id": "u1", \n', "invalid JSON"),
    (
        "contributions",
        {"id": "q9", "author_id": "u1", "kind": "foo", "created_at": "2021-01-01"},
        "unknown kind 'foo'",
    ),
    (
        "contributions",
        {"id": "q9", "author_id": "u77", "kind": "question", "created_at": "2021-01-01"},
        "unknown author_id 'u77'",
    ),
    (
        "contributions",
        {
            "id": "q9",
            "author_id": "u1",
            "kind": "answer",
            "parent_id": "q404",
            "created_at": "2021-01-01",
        },
        "unknown parent_id 'q404'",
    ),
    (
        "contributions",
        {"id": "q9", "author_id": "u1", "kind": "question"},
        "missing required field 'created_at'",
    ),
    (
        "contributions",
        {"id": "q9", "author_id": "u1", "kind": "question", "created_at": "yesterday"},
        "field 'created_at'",
    ),
    ("contributions", CONTRIBUTIONS[0], "duplicate 'q1' (first on line 1)"),
    ("members", {"id": "u9", "name": "Dan", "manager_id": "u404"}, "unknown manager_id 'u404'"),
    ("communities", {"id": "db/x", "name": "X", "parent_id": "nope"}, "unknown parent_id 'nope'"),
]


@pytest.mark.parametrize(("name", "line", "message"), BROKEN)
def test_broken_line_rejects_whole_bundle(sessions, tmp_path, name, line, message):
    import_bundle(sessions, write_bundle(tmp_path / "good"))
    before = snapshot(sessions)
    extra_member = {"id": "u4", "name": "New"}
    extra = {"id": "q5", "author_id": "u4", "kind": "question", "created_at": "2022-01-01"}
    records = {
        "communities": list(COMMUNITIES_WITH_NEW),
        "members": [*MEMBERS, extra_member],
        "contributions": [*CONTRIBUTIONS, extra],
    }
    records[name].append(line)
    folder = write_bundle(tmp_path / "bad", **records)
    with pytest.raises(BundleError) as caught:
        import_bundle(sessions, folder)
    error = caught.value
    assert (error.file, error.line) == (f"{name}.jsonl", len(records[name]))
    assert message in str(error)
    assert str(error).startswith(f"{name}.jsonl line {len(records[name])}: ")
    assert snapshot(sessions) == before


def test_parent_loop_is_rejected(sessions, tmp_path):
    loop = [
        {
            "id": "x1",
            "author_id": "u1",
            "kind": "comment",
            "parent_id": "x2",
            "created_at": "2021-01-01",
        },
        {
            "id": "x2",
            "author_id": "u1",
            "kind": "comment",
            "parent_id": "x1",
            "created_at": "2021-01-01",
        },
    ]
    with pytest.raises(BundleError, match="loops"):
        import_bundle(sessions, write_bundle(tmp_path / "b", contributions=loop))


def test_missing_file_is_named(sessions, tmp_path):
    folder = write_bundle(tmp_path / "b")
    (folder / "members.jsonl").unlink()
    with pytest.raises(BundleError) as caught:
        import_bundle(sessions, folder)
    assert caught.value.file == "members.jsonl"
    assert caught.value.line is None
