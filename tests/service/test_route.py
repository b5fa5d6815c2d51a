"""`copmatch route` on a copy of the small demo: its planted unanswered questions on the demo's clock,
and suggestions through a fake Slack Web API."""

import json
import shutil
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from service.demo.plan import END
from service.exposure import ExposureTracker
from service.live import LiveHolder
from service.queries import query_embedder
from service.recommender import Recommender
from service.routing import Router, RouteRules
from service.routing_setup import route_rules
from service.slack_web import API, SlackPoster, WrittenPoster
from service.snapshots import SnapshotHolder
from store.db import open_store, transaction
from store.exposures import exposures_since
from store.preferences import update_preferences
from store.settings import Settings
from store.tables import Contribution, Feedback, Member, Suggestion

NOW = END + timedelta(days=60)
RULES = RouteRules(delay=timedelta(hours=1), max_age=timedelta(days=30), experts=2, window=timedelta(days=7))
SLACK_QUESTION = "slack:C0TEAM:1700000000.000100"


class FakeSlack:
    """chat.postMessage as Slack answers it; every request kept."""

    def __init__(self, ok: bool = True) -> None:
        self.ok = ok
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path != "/api/chat.postMessage":
            return httpx.Response(404)
        return httpx.Response(
            200, json={"ok": True} if self.ok else {"ok": False, "error": "channel_not_found"}
        )

    @property
    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests]


@pytest.fixture
def home(demo, tmp_path):  # type: ignore[no-untyped-def]
    """A copy of the demo home with two new unanswered questions and Slack ids for everyone."""
    settings, truth = demo
    shutil.copytree(settings.home, tmp_path / "home", ignore=shutil.ignore_patterns("encoders"))
    copy = Settings(home=tmp_path / "home", _env_file=None)
    sessions = open_store(copy)
    topic = next(iter(truth["topics"].values()))
    title, body = topic["sample_questions"][0].split("\n", 1)
    with transaction(sessions) as session:
        session.execute(update(Member).values(chat_user_id="U" + Member.id))
        asker = topic["experts"][0]
        for question_id in ("q-new", SLACK_QUESTION):
            session.add(
                Contribution(
                    id=question_id,
                    author_id=asker,
                    kind="question",
                    created_at=NOW - timedelta(days=1),
                    community_id=topic["community_id"],
                    title=title,
                    body=body,
                    thread_id=question_id,
                    updated_at=NOW,
                )
            )
    return copy, sessions, asker


def _router(settings, sessions, encoder, poster, rules=RULES, now=NOW) -> Router:  # type: ignore[no-untyped-def]
    served = SnapshotHolder(settings.index_dir)
    queries = query_embedder(settings, encoder)
    recommender = Recommender(LiveHolder(served, sessions), queries, ExposureTracker(sessions, 7, 300))  # type: ignore[arg-type]
    return Router(sessions, recommender, poster, rules, clock=lambda: now)


def _suggestions(sessions) -> list[Suggestion]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(Suggestion).order_by(Suggestion.id)))


def _answer(sessions, question_id: str, author: str) -> None:  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        session.add(
            Contribution(
                id=f"a-{question_id}-{author}",
                author_id=author,
                kind="answer",
                created_at=NOW,
                community_id=None,
                thread_id=question_id,
                parent_id=question_id,
                body="here is how",
                updated_at=NOW,
            )
        )


def test_route_on_the_demo_proposes_people_for_its_unanswered_questions_once(demo, tmp_path, encoder) -> None:
    settings, truth = demo
    shutil.copytree(settings.home, tmp_path / "home", ignore=shutil.ignore_patterns("encoders"))
    copy = Settings(home=tmp_path / "home", _env_file=None)
    sessions = open_store(copy)
    written: list[str] = []
    router = _router(copy, sessions, encoder, WrittenPoster(written.append), route_rules(copy), END)
    report = router.run()
    planted = truth["unanswered_questions"]
    suggestions = _suggestions(sessions)
    assert planted and report.routed == len(planted) and {s.question_id for s in suggestions} == set(planted)
    assert report.asked == len(suggestions) == len(written)
    per_question = [s.question_id for s in suggestions]
    assert all(1 <= per_question.count(q) <= copy.route_experts for q in planted)
    with sessions() as session:
        askers = dict(
            session.execute(
                select(Contribution.id, Contribution.author_id).where(Contribution.id.in_(planted))
            ).all()
        )
    assert not any(s.member_id == askers[s.question_id] for s in suggestions)
    assert not {s.member_id for s in suggestions} & set(truth["non_discoverable"])
    exposed = {member for member, _ in exposures_since(sessions, "0000-00-00")}
    assert {s.member_id for s in suggestions} <= exposed
    again = router.run()
    assert again.asked == 0 and again.routed == 0 and len(_suggestions(sessions)) == len(suggestions)
    assert len(written) == len(suggestions)  # nobody is asked twice


def test_route_asks_experts_once_through_slack_and_records_exposures(home, encoder) -> None:
    settings, sessions, asker = home
    slack = FakeSlack()
    client = httpx.Client(base_url=API, transport=httpx.MockTransport(slack))
    router = _router(settings, sessions, encoder, SlackPoster("xoxb-test", client))
    report = router.run()
    assert report.routed == 2 and report.asked == 4
    assert all(r.headers["Authorization"] == "Bearer xoxb-test" for r in slack.requests)
    thread = [b for b in slack.bodies if b.get("thread_ts")]
    dms = [b for b in slack.bodies if not b.get("thread_ts")]
    assert [(b["channel"], b["thread_ts"]) for b in thread] == [("C0TEAM", "1700000000.000100")] * 2
    suggested = [s.member_id for s in _suggestions(sessions)]
    assert asker not in suggested and len(set(suggested[:2])) == 2
    assert sorted(b["channel"] for b in dms) == sorted("U" + m for m in suggested[:2])
    assert all(f"<@U{m}>" in b["text"] for m, b in zip(suggested[2:], thread, strict=True))
    stored = exposures_since(sessions, "0000-00-00")
    assert all(sum(n for (m, _), n in stored.items() if m == member) >= 1 for member in suggested)
    assert router.run().asked == 0 and len(slack.requests) == 4  # never asked twice


def test_outcomes_become_feedback(home, encoder) -> None:
    settings, sessions, _ = home
    written: list[str] = []
    router = _router(settings, sessions, encoder, WrittenPoster(written.append))
    router.run()
    assert len(written) == 4 and all("would ask" in line for line in written)
    first, second = [s for s in _suggestions(sessions) if s.question_id == "q-new"]
    _answer(sessions, "q-new", first.member_id)
    assert router.run().outcomes == {"helpful": 1, "answered_by_other": 1}
    later = Router(
        router.sessions, router.recommender, router.poster, RULES, clock=lambda: NOW + timedelta(days=8)
    )
    assert later.run().outcomes == {"no_response": 2}
    with sessions() as session:
        verdicts = {
            (f.item_id, f.verdict) for f in session.scalars(select(Feedback)) if f.api_key_name == "route"
        }
        assert (first.member_id, "helpful") in verdicts and (
            second.member_id,
            "answered_by_other",
        ) in verdicts
        assert sum(v == "no_response" for _, v in verdicts) == 2
    assert later.run().outcomes == {}  # each outcome is written once


def test_a_refused_post_is_not_recorded_and_is_tried_again(home, encoder) -> None:
    settings, sessions, _ = home
    slack = FakeSlack(ok=False)
    client = httpx.Client(base_url=API, transport=httpx.MockTransport(slack))
    router = _router(settings, sessions, encoder, SlackPoster("xoxb-test", client))
    assert router.run().asked == 0 and _suggestions(sessions) == []
    slack.ok = True
    assert router.run().asked == 4


def test_members_who_opt_out_are_never_suggested(home, encoder) -> None:
    settings, sessions, _ = home
    first = _router(settings, sessions, encoder, WrittenPoster(lambda _: None))
    first.run()
    chosen = {s.member_id for s in _suggestions(sessions)}
    with transaction(sessions) as session:
        session.execute(
            update(Suggestion).where(Suggestion.question_id == "q-new").values(question_id="q-old")
        )
    for member_id in chosen:
        update_preferences(sessions, member_id, {"discoverable": False})
    _router(settings, sessions, encoder, WrittenPoster(lambda _: None)).run()
    again = {s.member_id for s in _suggestions(sessions) if s.question_id == "q-new"}
    assert again and not again & chosen
