"""Slack export import over a hand-made export: threads, acceptance, markup, skips, idempotence."""

from datetime import UTC, datetime

import pytest

from store.importers import BundleError
from store.importers.slack import import_slack
from store.tables import Community, Contribution, Member
from tests.store.bundles import snapshot
from tests.store.slack_exports import DAY1, DAY2, export_files, write_export

Q1 = "slack:C1:1614589200.000100"
Q2 = "slack:C1:1614675600.000100"


def _posts(sessions) -> dict[str, Contribution]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {c.id: c for c in session.query(Contribution)}


def test_threads_become_questions_with_answers_and_the_rest_posts(sessions, tmp_path):
    report = import_slack(sessions, write_export(tmp_path / "export"))
    assert report.tables["contributions"].added == 9
    posts = _posts(sessions)
    question = posts[Q1]
    assert (question.kind, question.title, question.author_id) == (
        "question",
        "How do I speed up a join?",
        "slack:U2",
    )
    assert question.body == "How do I speed up a join?\nIt takes 10:30 minutes"
    answers = sorted(p.id for p in posts.values() if p.parent_id == Q1)
    assert answers == [
        "slack:C1:1614589260.000200",
        "slack:C1:1614589320.000300",
        "slack:C1:1614589380.000400",
    ]
    assert {posts[a].kind for a in answers} == {"answer"}
    assert {posts[a].thread_id for a in answers} == {Q1}
    backup = posts["slack:C1:1614589600.000500"]
    assert (backup.kind, backup.parent_id, backup.body) == ("post", None, "Backups run nightly & weekly")
    assert question.created_at.replace(tzinfo=UTC) == datetime(2021, 3, 1, 9, 0, 0, 100, tzinfo=UTC)
    with sessions() as session:
        communities = {c.id: c for c in session.query(Community)}
    assert communities["slack:C1"].name == "databases"
    assert communities["slack:C1"].description == "All about databases"
    assert communities["slack:C2"].description == "anything goes"


def test_accepted_by_the_starters_reaction_and_score_is_reaction_count(sessions, tmp_path):
    import_slack(sessions, write_export(tmp_path / "export"))
    posts = _posts(sessions)
    by_starter = posts["slack:C1:1614589260.000200"]
    by_someone_else = posts["slack:C1:1614589320.000300"]
    assert by_starter.accepted and not by_someone_else.accepted
    assert (by_starter.score, posts[Q1].score) == (3, 2)
    # the thread start marked solved by its author: the last reply by someone else is accepted
    assert [p.body for p in posts.values() if p.parent_id == Q2 and p.accepted] == ["both"]


def test_accept_reactions_can_be_chosen(sessions, tmp_path):
    import_slack(sessions, write_export(tmp_path / "export"), accept_reactions=["+1"])
    accepted = [p.id for p in _posts(sessions).values() if p.accepted]
    assert accepted == []  # +1 was given by U3 and U4, not by the starter U2


def test_markup_becomes_text(sessions, tmp_path):
    import_slack(sessions, write_export(tmp_path / "export"))
    posts = _posts(sessions)
    assert posts["slack:C1:1614589260.000200"].body == "Add an index, see the guide and ask Caro in #random"
    assert posts["slack:C1:1614589320.000300"].body == "CREATE INDEX i ON t (a); -- :not_emoji:"


def test_system_messages_bots_and_deleted_users(sessions, tmp_path):
    import_slack(sessions, write_export(tmp_path / "export"))
    posts = _posts(sessions)
    bodies = {p.body for p in posts.values()}
    assert not bodies & {
        "set the topic",
        "deployed",
        "bot user talks",
        "reminder",
        "left",
        "<@U1> has joined",
    }
    assert posts["slack:C1:1614589380.000400"].author_id == "slack:deleted"
    with sessions() as session:
        members = {m.id: m for m in session.query(Member)}
    assert set(members) == {"slack:U1", "slack:U2", "slack:U3", "slack:deleted"}
    assert members["slack:deleted"].discoverable is False
    ana = members["slack:U1"]
    assert (ana.name, ana.title, ana.timezone, ana.email, ana.chat_user_id) == (
        "Ana Lima",
        "DBA",
        "Europe/Lisbon",
        "ana@example.org",
        "U1",
    )
    assert members["slack:U2"].name == "Ben Ode"


def test_reimport_adds_nothing_and_a_later_export_only_what_is_new(sessions, tmp_path):
    first = export_files({"databases/2021-03-01.json": DAY1})
    import_slack(sessions, write_export(tmp_path / "first", first))
    before = snapshot(sessions)
    again = import_slack(sessions, write_export(tmp_path / "again", first))
    assert not again.changed
    assert snapshot(sessions) == before
    later = import_slack(sessions, write_export(tmp_path / "later"))
    assert later.tables["contributions"].added == 4  # day two's thread and the random channel
    assert later.tables["contributions"].updated == 0


def test_zip_imports_like_the_folder_and_channels_can_be_picked(sessions, tmp_path):
    report = import_slack(sessions, write_export(tmp_path / "export.zip", as_zip=True), channels="data*")
    assert report.tables["communities"].added == 1
    assert report.tables["contributions"].added == 8
    assert {p.community_id for p in _posts(sessions).values()} == {"slack:C1"}


def test_old_export_without_threads_keeps_posts(sessions, tmp_path):
    flat = [{k: v for k, v in m.items() if k not in ("thread_ts", "reply_count")} for m in DAY2]
    import_slack(
        sessions, write_export(tmp_path / "export", export_files({"databases/2021-03-02.json": flat}))
    )
    assert {p.kind for p in _posts(sessions).values()} == {"post"}


@pytest.mark.parametrize(
    ("bad", "place", "message"),
    [
        ({"user": "U1", "text": "no time"}, "[1]", "missing required field 'ts'"),
        ({"user": "U1", "ts": "yesterday"}, "[1]", "field 'ts'"),
        ("just a string", "[1]", "not a JSON object"),
    ],
)
def test_broken_day_file_is_rejected_naming_file_and_index(sessions, tmp_path, bad, place, message):
    import_slack(sessions, write_export(tmp_path / "good"))
    before = snapshot(sessions)
    files = export_files()
    files["databases/2021-03-02.json"] = [DAY2[0], bad, *DAY2[1:]]
    with pytest.raises(BundleError) as caught:
        import_slack(sessions, write_export(tmp_path / "bad", files))
    assert (caught.value.file, caught.value.line) == ("databases/2021-03-02.json", place)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"databases/2021-03-02.json {place}: ")
    assert snapshot(sessions) == before


def test_invalid_json_names_file_and_line(sessions, tmp_path):
    files = export_files()
    files["databases/2021-03-02.json"] = '[\n{"ts": "1"},\n{oops}\n]'
    with pytest.raises(BundleError) as caught:
        import_slack(sessions, write_export(tmp_path / "bad", files))
    assert (caught.value.file, caught.value.line) == ("databases/2021-03-02.json", 3)
    assert snapshot(sessions)["contributions"] == []


def test_missing_channels_file_is_named(sessions, tmp_path):
    files = export_files()
    del files["channels.json"]
    with pytest.raises(BundleError, match="channels.json"):
        import_slack(sessions, write_export(tmp_path / "bad", files))
