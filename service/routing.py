"""Route unanswered questions to people who can answer them, and learn what came of it.

One pass (`copmatch route`): first each earlier suggestion without an outcome gets one, once it
has one (the suggested member answered: helpful; someone else did: answered_by_other; nobody
within COPMATCH_ROUTE_WINDOW_DAYS: no_response), recorded as feedback the ranker learns from.
Then each question older than COPMATCH_ROUTE_DELAY_HOURS (and younger than
COPMATCH_ROUTE_MAX_AGE_DAYS, unless 0) without an answer and not routed yet gets up to
COPMATCH_ROUTE_EXPERTS suggested experts from the expert ranker: never the asker, never a member
who is hidden (or, through the live layer, away), load spreading counting what it suggested;
they are asked once (Slack, or written out) and the suggestion and its exposure recorded.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.recommender import Recommender
from service.slack_web import Person
from store.suggestions import OpenQuestion, Pending, open_questions, pending, record_suggestions, settle
from store.tables import Member

log = logging.getLogger(__name__)

TITLE_CHARS = 150


class Poster(Protocol):
    """Asks people about a question; returns those reached and the channel used."""

    def ask(self, question_id: str, text: str, people: list[Person]) -> tuple[list[Person], str]: ...


@dataclass(frozen=True)
class RouteRules:
    """When a question is routed, to how many, and how long an answer is waited for."""

    delay: timedelta
    max_age: timedelta | None
    experts: int
    window: timedelta


@dataclass
class RouteReport:
    """What one pass did."""

    routed: int = 0  # questions
    asked: int = 0  # suggestions
    outcomes: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        """The one-line report the CLI prints."""
        settled = ", ".join(f"{n} {name}" for name, n in sorted(self.outcomes.items())) or "none"
        return f"route: {self.asked} suggestions for {self.routed} questions; outcomes: {settled}"


def outcome_of(item: Pending, now: datetime, window: timedelta) -> str | None:
    """helpful, answered_by_other, no_response, or None while still waiting."""
    if item.member_id in item.answerers:
        return "helpful"
    if item.answerers:
        return "answered_by_other"
    asked = item.asked_at if item.asked_at.tzinfo else item.asked_at.replace(tzinfo=UTC)
    return "no_response" if now - asked >= window else None


def message(question: OpenQuestion, reason: str) -> str:
    """What a suggested person is told."""
    title = " ".join((question.title or question.body).split())[:TITLE_CHARS]
    return f"Could you help with this unanswered question: *{title}*? You were suggested because {reason}"


class Router:
    """One routing pass over the store with the expert ranker."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        recommender: Recommender,
        poster: Poster,
        rules: RouteRules,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sessions = sessions
        self.recommender = recommender
        self.poster = poster
        self.rules = rules
        self.clock = clock

    def run(self) -> RouteReport:
        """Settle the outcomes that are known, then route the questions that wait (see module docstring)."""
        now, report = self.clock(), RouteReport()
        version = self.recommender.holder.get().version
        for item in pending(self.sessions):
            outcome = outcome_of(item, now, self.rules.window)
            if outcome is not None:
                settle(self.sessions, item, outcome, now, version)
                report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
        oldest = now - self.rules.max_age if self.rules.max_age else None
        for question in open_questions(self.sessions, now - self.rules.delay, oldest):
            asked = self._route(question, now)
            report.routed += bool(asked)
            report.asked += asked
        if self.recommender.exposure:
            self.recommender.exposure.flush()
        log.info("%s", report.line())
        return report

    def _route(self, question: OpenQuestion, now: datetime) -> int:
        """Suggest experts for one question and ask them; returns how many were asked."""
        snapshot = self.recommender.holder.get()
        community = question.community_id if question.community_id in snapshot.communities.row_of else None
        found = self.recommender.experts(
            question.text, self.rules.experts, community_id=community, exclude=[question.author_id]
        )
        if not found.items:
            return 0
        people = self._people([item["member_id"] for item in found.items])
        reasons = {item["member_id"]: item["reason"] for item in found.items}
        asked: list[Person] = []
        channel = ""
        for person in people:  # each person is told why they in particular were suggested
            reached, channel = self.poster.ask(
                question.id, message(question, reasons[person.member_id]), [person]
            )
            asked += reached
        if asked:
            record_suggestions(self.sessions, question.id, [p.member_id for p in asked], channel, now)
        return len(asked)

    def _people(self, member_ids: Sequence[str]) -> list[Person]:
        """The suggested members with their Slack ids, in the ranker's order."""
        with self.sessions() as session:
            rows = session.execute(
                select(Member.id, Member.name, Member.chat_user_id).where(Member.id.in_(list(member_ids)))
            )
            found = {r.id: Person(r.id, r.name, r.chat_user_id) for r in rows}
        return [found[m] for m in member_ids if m in found]
