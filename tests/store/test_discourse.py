"""Discourse import against a local fake forum (an ASGI app; never the network)."""

import httpx
import pytest

from store.importers import BundleError, discourse_client
from store.importers.discourse import import_discourse
from store.importers.discourse_client import DiscourseClient
from store.tables import Community, Contribution, ImportCursor, Member
from tests.store.bundles import snapshot
from tests.store.fake_discourse import FakeForum, new_topic

URL = "https://forum.example.org"


@pytest.fixture
def forum() -> FakeForum:
    return FakeForum()


@pytest.fixture(autouse=True)
def waits(monkeypatch) -> list[float]:  # type: ignore[no-untyped-def]
    """Record the client's back-off waits instead of sleeping."""
    seen: list[float] = []

    async def record(seconds: float) -> None:
        seen.append(seconds)

    monkeypatch.setattr(discourse_client, "sleep", record)
    return seen


def _client(forum: FakeForum, **options) -> DiscourseClient:  # type: ignore[no-untyped-def]
    return DiscourseClient(URL, transport=httpx.ASGITransport(app=forum.app), **options)


def _posts(sessions) -> dict[str, Contribution]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return {c.id: c for c in session.query(Contribution)}


def test_topics_become_questions_answers_and_comments(sessions, forum):
    import_discourse(sessions, _client(forum))
    posts = _posts(sessions)
    question = posts["discourse:t10"]
    assert (question.kind, question.title, question.body) == (
        "question",
        "How do I index JSON?",
        "My jsonb queries are slow",
    )
    assert (question.community_id, question.tags, question.author_id) == (
        "discourse:c1",
        ["jsonb", "indexing"],
        "discourse:u2",
    )
    answer, comment = posts["discourse:p1001"], posts["discourse:p1002"]
    assert (answer.kind, answer.parent_id, answer.score) == ("answer", "discourse:t10", 3)
    assert (comment.kind, comment.parent_id, comment.thread_id) == (
        "comment",
        "discourse:p1001",
        "discourse:t10",
    )
    assert posts["discourse:p1005"].kind == "answer"  # replies to the first post are answers
    assert "discourse:p1003" not in posts  # a small action
    assert posts["discourse:p1004"].author_id == "discourse:deleted"
    assert posts["discourse:p1005"].author_id == "discourse:deleted"  # profile gone (404)
    assert not any(p.thread_id == "discourse:t12" for p in posts.values())  # opened by the system user
    with sessions() as session:
        communities = {c.id: c for c in session.query(Community)}
        members = {m.id: m for m in session.query(Member)}
    assert communities["discourse:c2"].parent_id == "discourse:c1"
    assert communities["discourse:c1"].description == "Everything about databases"
    assert set(members) == {"discourse:u1", "discourse:u2", "discourse:u3", "discourse:deleted"}
    alice = members["discourse:u1"]
    assert (alice.name, alice.title, alice.timezone, alice.profile) == (
        "Alice Wong",
        "DBA",
        "Europe/Berlin",
        "I tune queries",
    )
    assert members["discourse:u2"].name == "bob"
    assert members["discourse:deleted"].discoverable is False


def test_accepted_answers_by_post_flag_and_by_topic(sessions, forum):
    import_discourse(sessions, _client(forum))
    accepted = sorted(p.id for p in _posts(sessions).values() if p.accepted)
    assert accepted == ["discourse:p1001", "discourse:p1123"]


def test_category_pages_are_followed(sessions, forum):
    import_discourse(sessions, _client(forum))
    assert "/c/databases/1.json?page=1" in forum.requests
    assert "discourse:t13" in _posts(sessions)  # listed on the second page


def test_long_topic_fetches_posts_past_the_first_twenty(sessions, forum):
    import_discourse(sessions, _client(forum))
    posts = _posts(sessions)
    assert sum(1 for p in posts.values() if p.thread_id == "discourse:t11") == 25
    assert any(r.startswith("/t/11/posts.json?post_ids") for r in forum.requests)
    assert posts["discourse:t11"].community_id == "discourse:c2"


def test_429_waits_as_retry_after_says(sessions, forum, waits):
    forum.throttled["/t/10.json"] = 2
    import_discourse(sessions, _client(forum))
    assert waits == [7.0, 7.0]
    assert forum.requests.count("/t/10.json") == 3
    assert "discourse:t10" in _posts(sessions)


def test_server_errors_are_retried_with_backoff_then_given_up(sessions, forum, waits):
    forum.throttled["/categories.json"] = 99
    with pytest.raises(BundleError, match="/categories.json: gave up after 6 tries: HTTP 429"):
        import_discourse(sessions, _client(forum))
    assert len(waits) == 5


def test_second_run_fetches_only_new_topics(sessions, forum):
    import_discourse(sessions, _client(forum))
    with sessions() as session:
        cursors = {c.source: c.position for c in session.query(ImportCursor)}
    assert cursors[f"discourse:{URL}:c1"] == "2024-01-05T00:00:00+00:00"
    before = len(_posts(sessions))
    forum.topics[15] = new_topic()
    forum.requests.clear()
    report = import_discourse(sessions, _client(forum))
    topic_requests = [r for r in forum.requests if r.startswith("/t/")]
    assert topic_requests == ["/t/15.json"]
    assert report.tables["contributions"].added == 2
    assert len(_posts(sessions)) == before + 2
    forum.requests.clear()
    again = import_discourse(sessions, _client(forum))
    assert not again.changed
    assert not [r for r in forum.requests if r.startswith("/t/")]


def test_categories_can_be_picked(sessions, forum):
    import_discourse(sessions, _client(forum), categories=["off-topic"])
    assert {p.thread_id for p in _posts(sessions).values()} == {"discourse:t14"}
    with pytest.raises(BundleError, match="no category with slug nope"):
        import_discourse(sessions, _client(forum), categories=["nope"])


def test_api_key_is_sent_and_refusals_are_clear(sessions):
    forum = FakeForum(api_key="k1")
    import_discourse(sessions, _client(forum, api_key="k1", api_username="admin"))
    assert "discourse:t10" in _posts(sessions)
    before = snapshot(sessions)
    with pytest.raises(BundleError, match=r"/categories.json: HTTP 401 not authorized: check --api-key"):
        import_discourse(sessions, _client(forum))
    with pytest.raises(BundleError, match="/categories.json: HTTP 403 forbidden"):
        import_discourse(sessions, _client(forum, api_key="wrong"))
    assert snapshot(sessions) == before


def test_malformed_answer_is_rejected_naming_the_post_and_store_unchanged(sessions, forum):
    import_discourse(sessions, _client(forum), categories=["off-topic"])
    before = snapshot(sessions)
    del forum.topics[10].posts[1]["created_at"]
    with pytest.raises(BundleError) as caught:
        import_discourse(sessions, _client(forum))
    assert str(caught.value) == "/t/10.json post 1001: missing required field 'created_at'"
    assert snapshot(sessions) == before


def test_a_url_without_scheme_is_refused_before_any_request():
    with pytest.raises(BundleError, match="forum.example.org: not a forum URL"):
        DiscourseClient("forum.example.org")
