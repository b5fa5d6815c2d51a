"""Questions still waiting for an answer, the members suggested for them, and what came of it.

An outcome is written once, with its feedback row in the same transaction: the suggested member
answered (helpful), someone else did (answered_by_other), or no one within the window
(no_response). Feedback rows of route outcomes carry api_key_name "route".
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from store.db import transaction
from store.tables import Contribution, Feedback, Suggestion

ANSWER_KINDS = ("answer", "solution")
ROUTE_KEY = "route"


@dataclass(frozen=True)
class OpenQuestion:
    """A question without an answer from anyone but its asker."""

    id: str
    thread_id: str
    author_id: str
    community_id: str | None
    title: str
    body: str
    created_at: datetime

    @property
    def text(self) -> str:
        """What the experts are ranked for: title and body."""
        return f"{self.title}\n{self.body}".strip()


@dataclass(frozen=True)
class Pending:
    """A suggestion without an outcome, and who has answered its question since."""

    id: int
    question: OpenQuestion
    member_id: str
    asked_at: datetime
    answerers: frozenset[str]


def _question(row: Contribution) -> OpenQuestion:
    return OpenQuestion(
        row.id,
        row.thread_id,
        row.author_id,
        row.community_id,
        row.title or "",
        row.body or "",
        row.created_at,
    )


def open_questions(
    sessions: sessionmaker[Session], asked_before: datetime, asked_after: datetime | None
) -> list[OpenQuestion]:
    """Questions created in (asked_after, asked_before], unanswered and not routed yet, oldest first."""
    answer = aliased(Contribution)
    answered = (
        select(answer.id)
        .where(
            answer.thread_id == Contribution.thread_id,
            answer.kind.in_(ANSWER_KINDS),
            answer.author_id != Contribution.author_id,
        )
        .exists()
    )
    routed = select(Suggestion.id).where(Suggestion.question_id == Contribution.id).exists()
    window = [Contribution.created_at <= asked_before]
    if asked_after is not None:
        window.append(Contribution.created_at > asked_after)
    query = (
        select(Contribution)
        .where(and_(Contribution.kind == "question", *window), ~answered, ~routed)
        .order_by(Contribution.created_at, Contribution.id)
    )
    with sessions() as session:
        return [_question(row) for row in session.scalars(query)]


def record_suggestions(
    sessions: sessionmaker[Session], question_id: str, member_ids: Sequence[str], channel: str, now: datetime
) -> None:
    """Store that these members were asked about the question (each pair once, ever)."""
    with transaction(sessions) as session:
        known = set(
            session.scalars(
                select(Suggestion.member_id).where(
                    Suggestion.question_id == question_id, Suggestion.member_id.in_(list(member_ids))
                )
            )
        )
        for member_id in dict.fromkeys(member_ids):
            if member_id not in known:
                session.add(
                    Suggestion(question_id=question_id, member_id=member_id, asked_at=now, channel=channel)
                )


def pending(sessions: sessionmaker[Session]) -> list[Pending]:
    """Every suggestion still without an outcome, with the answerers of its question."""
    with sessions() as session:
        rows = session.execute(
            select(Suggestion, Contribution)
            .join(Contribution, Contribution.id == Suggestion.question_id)
            .where(Suggestion.outcome.is_(None))
            .order_by(Suggestion.id)
        ).all()
        threads = {question.thread_id for _, question in rows}
        answerers: dict[str, set[str]] = defaultdict(set)
        if threads:
            found = session.execute(
                select(Contribution.thread_id, Contribution.author_id).where(
                    Contribution.thread_id.in_(threads), Contribution.kind.in_(ANSWER_KINDS)
                )
            )
            for thread_id, author_id in found:
                answerers[thread_id].add(author_id)
        return [
            Pending(
                s.id,
                _question(q),
                s.member_id,
                s.asked_at,
                frozenset(answerers[q.thread_id] - {q.author_id}),
            )
            for s, q in rows
        ]


def settle(
    sessions: sessionmaker[Session], item: Pending, outcome: str, now: datetime, version: int | None
) -> None:
    """Write the suggestion's outcome and the feedback it amounts to."""
    with transaction(sessions) as session:
        row = session.get(Suggestion, item.id)
        if row is None or row.outcome is not None:
            return
        row.outcome, row.outcome_at = outcome, now
        session.add(
            Feedback(
                recommendation="experts",
                query=item.question.text,
                item_id=item.member_id,
                verdict=outcome,
                index_version=version,
                api_key_name=ROUTE_KEY,
                created_at=now,
            )
        )
