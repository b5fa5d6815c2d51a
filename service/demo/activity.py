"""What the demo organization's people write: Q&A threads, validated solutions, documents.

Planted expertise shows in who answers: on every topic the true experts give most of the
accepted answers and solutions, former experts only early on, other members answer too
(often weakly) and peripheral members mostly ask.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from service.demo import phrases
from service.demo.people import Cast, Person, moment, weighted_sample
from service.demo.plan import END, START, SizePlan
from service.demo.vocabulary import CommunitySpec, Topic

LAST_QUESTION = END - timedelta(days=10)
UNACCEPTED_SHARE = 0.15
EXPERT_ACCEPTED_SHARE = 0.7
STALE_ACCEPTED_SHARE = 0.2
ANSWER_COUNTS = {1: 30, 2: 35, 3: 22, 4: 13}
ASKER_WEIGHTS = {"peripheral": 6.0, "active": 2.0, "core": 1.0}
NOISE_WEIGHTS = {"core": 2.0, "active": 1.5, "peripheral": 0.15}
FADING_QUESTIONS = 10  # at least, on the topic at risk, all answered by its fading expert
RISER_ANSWERS = 2  # recent questions each rising member answers there
RECENT_DAYS = 90
OPEN_DAYS = (1, 9)  # the unanswered questions are asked this many days before the end


@dataclass
class Draft:
    """A contribution before ids are assigned; `parent` is the parent draft's key."""

    key: int
    kind: str
    author_id: str
    created_at: datetime
    community_id: str
    topic_id: str
    title: str = ""
    body: str = ""
    parent: int | None = None
    accepted: bool = False
    score: int = 0
    tags: list[str] = field(default_factory=list)


def slug(term: str) -> str:
    """A tag for a term: lower case, runs of other characters as one dash."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def generate_activity(
    rng: random.Random, cast: Cast, plan: SizePlan, topics: list[tuple[CommunitySpec, Topic]]
) -> list[Draft]:
    """Every contribution of the organization over its three years, in no particular order."""
    writer = _ActivityWriter(rng, cast)
    for community, topic in topics:
        if topic.id == cast.fading.get("topic_id"):
            writer.fading_topic(community, topic, plan)
        else:
            writer.topic(community, topic, plan)
    for community in dict.fromkeys(c for c, _ in topics):
        writer.unanswered(community)
    return writer.drafts


class _ActivityWriter:
    """Draws threads, solutions and documents for one topic at a time."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng = rng
        self.cast = cast
        self.drafts: list[Draft] = []

    def topic(self, community: CommunitySpec, topic: Topic, plan: SizePlan) -> None:
        """All threads, solutions and perhaps a document on one topic."""
        questions = max(3, round(plan.questions_per_topic * self.rng.uniform(0.6, 1.4)))
        for role in self._accepted_roles(topic, questions):
            self._thread(community, topic, role)
        for number in range(plan.solutions_per_topic):
            role = "expert" if number == 0 else self._solution_role(topic)
            self._solution(community, topic, role)
        if self.rng.random() < plan.document_share:
            self._document(community, topic)

    def fading_topic(self, community: CommunitySpec, topic: Topic, plan: SizePlan) -> None:
        """The topic at risk: its one expert answers its questions until they fade; then each rising
        member answers a few recent ones, and nobody else answers any."""
        expert = self.cast.by_id[self.cast.fading["fading_expert"]]
        for _ in range(max(FADING_QUESTIONS, plan.questions_per_topic)):
            when = moment(self.rng, expert.start, expert.end)
            self._answered(community, topic, when, expert, accepted=True)
        for riser_id in self.cast.fading["rising_members"]:
            for _ in range(RISER_ANSWERS):
                when = moment(self.rng, LAST_QUESTION - timedelta(days=RECENT_DAYS), LAST_QUESTION)
                self._answered(community, topic, when, self.cast.by_id[riser_id], accepted=False)
        for _ in range(plan.solutions_per_topic):
            self._solution(community, topic, "expert")

    def unanswered(self, community: CommunitySpec) -> None:
        """One question of the community's last days that nobody has answered yet (for `copmatch route`),
        on a topic other than the one at risk."""
        topic = self.rng.choice([t for t in community.topics if t.id != self.cast.fading.get("topic_id")])
        when = END - timedelta(days=self.rng.uniform(*OPEN_DAYS))
        self._question(community, topic, when.replace(second=0, microsecond=0), [])

    def _answered(
        self, community: CommunitySpec, topic: Topic, when: datetime, author: Person, accepted: bool
    ) -> None:
        """A question at `when` with one answer, by `author`."""
        question, slots, _ = self._question(community, topic, when, [author])
        self._answer(question, topic, author, accepted, slots, [])

    def _accepted_roles(self, topic: Topic, questions: int) -> list[str | None]:
        """Who gives each thread's accepted answer: expert, stale (former expert), noise, None."""
        unaccepted = round(questions * UNACCEPTED_SHARE)
        accepted = questions - unaccepted
        experts = max(accepted // 2 + 1, round(accepted * EXPERT_ACCEPTED_SHARE))
        stale = 0
        if self.cast.stale[topic.id]:
            stale = min(max(1, round(accepted * STALE_ACCEPTED_SHARE)), accepted - experts)
        noise = accepted - experts - stale
        roles: list[str | None] = []
        roles += ["expert"] * experts + ["stale"] * stale + ["noise"] * noise
        roles += [None] * unaccepted
        self.rng.shuffle(roles)
        return roles

    def _solution_role(self, topic: Topic) -> str:
        """Who writes a further solution: mostly experts."""
        stale = 0.15 if self.cast.stale[topic.id] else 0.0
        return self.rng.choices(["expert", "stale", "noise"], [0.75, stale, 0.1])[0]

    def _timed_author(self, community: CommunitySpec, topic: Topic, role: str) -> tuple[Person, datetime]:
        """An author of the role (expert, stale or noise) and a time in their active years."""
        if role == "noise":
            when = moment(self.rng, START, LAST_QUESTION)
            author = self._noise(community, topic, when, [])
            return (author, when) if author else self._timed_author(community, topic, "expert")
        ids = self.cast.experts[topic.id] if role == "expert" else self.cast.stale[topic.id]
        author = self.cast.by_id[self.rng.choice(ids)]
        return author, moment(self.rng, author.start, min(author.end, LAST_QUESTION))

    def _noise(
        self, community: CommunitySpec, topic: Topic, when: datetime, exclude: list[Person]
    ) -> Person | None:
        """A member of the community who is not an expert on the topic, active at `when`."""
        candidates = [
            p
            for p in self.cast.in_community(community.id)
            if p.active_at(when) and not p.knows(topic.id) and p not in exclude
        ]
        weights = [NOISE_WEIGHTS[p.level] for p in candidates]
        chosen = weighted_sample(self.rng, candidates, weights, 1)
        return chosen[0] if chosen else None

    def _expert(self, topic: Topic, when: datetime, exclude: list[Person]) -> Person | None:
        """A current or former expert on the topic who is active at `when`."""
        ids = self.cast.experts[topic.id] + self.cast.stale[topic.id]
        candidates = [self.cast.by_id[i] for i in ids]
        candidates = [p for p in candidates if p.active_at(when) and p not in exclude]
        return self.rng.choice(candidates) if candidates else None

    def _asker(self, community: CommunitySpec, when: datetime, exclude: list[Person]) -> Person:
        """Who asks: mostly peripheral members of the community, active at `when`."""
        members = self.cast.in_community(community.id)
        candidates = [p for p in members if p.active_at(when) and p not in exclude]
        if not candidates:
            candidates = [p for p in self.cast.people if p.active_at(when) and p not in exclude]
        weights = [ASKER_WEIGHTS[p.level] for p in candidates]
        return weighted_sample(self.rng, candidates, weights, 1)[0]

    def _keep(self, draft: Draft) -> Draft:
        """Record a new draft."""
        self.drafts.append(draft)
        return draft

    def _later(self, when: datetime, max_hours: float) -> datetime:
        """A time after `when`: usually within hours, sometimes days."""
        hours = 0.25 + min(self.rng.expovariate(1 / 12), max_hours)
        return (when + timedelta(hours=hours)).replace(second=0, microsecond=0)

    def _thread(self, community: CommunitySpec, topic: Topic, role: str | None) -> None:
        """A question with 1-4 answers; `role` says who gives the accepted one (None: nobody)."""
        if role is None:
            accepted_by, when = None, moment(self.rng, START, LAST_QUESTION)
        else:
            accepted_by, when = self._timed_author(community, topic, role)
        question, slots, asker = self._question(community, topic, when, [accepted_by] if accepted_by else [])
        answerers = self._answerers(community, topic, when, asker, accepted_by)
        bodies: list[str] = []
        for answerer in answerers:
            accepted = answerer is accepted_by
            answer = self._answer(question, topic, answerer, accepted, slots, bodies)
            bodies.append(answer.body)
            if accepted and self.rng.random() < 0.3:
                self._comment(answer, asker, phrases.answer_comment(self.rng, slots), 48)
        if answerers and self.rng.random() < 0.15:
            self._comment(question, answerers[-1], phrases.question_comment(self.rng, slots), 2)

    def _question(
        self, community: CommunitySpec, topic: Topic, when: datetime, exclude: list[Person]
    ) -> tuple[Draft, phrases.Slots, Person]:
        """A question on the topic at `when` by an asker not in `exclude`, with its phrase slots."""
        asker = self._asker(community, when, exclude)
        item = self.rng.choice(topic.tasks + topic.problems)
        slots = phrases.thread_slots(self.rng, community, topic, item)
        title, body = phrases.question(self.rng, slots)
        question = self._keep(
            Draft(
                key=len(self.drafts),
                kind="question",
                author_id=asker.id,
                created_at=when,
                community_id=community.id,
                topic_id=topic.id,
                title=title,
                body=body,
                score=self.rng.randint(0, 5),
                tags=[topic.id, slug(slots["term"])],
            )
        )
        return question, slots, asker

    def _answerers(
        self,
        community: CommunitySpec,
        topic: Topic,
        when: datetime,
        asker: Person,
        accepted_by: Person | None,
    ) -> list[Person]:
        """The accepted answerer (if any) and others: sometimes experts, mostly other members."""
        answerers = [accepted_by] if accepted_by else []
        wanted = self.rng.choices(list(ANSWER_COUNTS), list(ANSWER_COUNTS.values()))[0]
        while len(answerers) < wanted:
            exclude = [*answerers, asker]
            if self.rng.random() < 0.3:
                extra = self._expert(topic, when, exclude) or self._noise(community, topic, when, exclude)
            else:
                extra = self._noise(community, topic, when, exclude) or self._expert(topic, when, exclude)
            if extra is None:
                break
            answerers.append(extra)
        return answerers

    def _answer(
        self,
        question: Draft,
        topic: Topic,
        author: Person,
        accepted: bool,
        slots: phrases.Slots,
        taken: list[str],
    ) -> Draft:
        """One answer unlike those in `taken`; experts' and accepted ones are good, score higher."""
        expert = author.knows(topic.id)
        good = accepted or expert or self.rng.random() < 0.4
        if accepted:
            score = self.rng.randint(3, 9) + (3 if expert else 0)
        elif good:
            score = self.rng.randint(1, 6) if expert else self.rng.randint(0, 4)
        else:
            score = self.rng.randint(-1, 1)
        return self._keep(
            Draft(
                key=len(self.drafts),
                kind="answer",
                author_id=author.id,
                created_at=self._later(question.created_at, 140),
                community_id=question.community_id,
                topic_id=topic.id,
                body=phrases.answer(self.rng, slots, good, taken),
                parent=question.key,
                accepted=accepted,
                score=score,
                tags=list(question.tags),
            )
        )

    def _comment(self, parent: Draft, author: Person, body: str, max_hours: float) -> None:
        """A short comment on a question or an answer."""
        self._keep(
            Draft(
                key=len(self.drafts),
                kind="comment",
                author_id=author.id,
                created_at=self._later(parent.created_at, max_hours),
                community_id=parent.community_id,
                topic_id=parent.topic_id,
                body=body,
                parent=parent.key,
                score=self.rng.randint(0, 2),
            )
        )

    def _solution(self, community: CommunitySpec, topic: Topic, role: str) -> None:
        """A validated symptom / cause / fix write-up."""
        author, when = self._timed_author(community, topic, role)
        problem = self.rng.choice(topic.problems)
        slots = phrases.thread_slots(self.rng, community, topic, problem)
        title, body = phrases.solution(self.rng, slots)
        self._keep(
            Draft(
                key=len(self.drafts),
                kind="solution",
                author_id=author.id,
                created_at=when,
                community_id=community.id,
                topic_id=topic.id,
                title=title,
                body=body,
                accepted=True,
                score=self.rng.randint(4, 15),
                tags=[topic.id, slug(slots["term"])],
            )
        )

    def _document(self, community: CommunitySpec, topic: Topic) -> None:
        """A how-to page by one of the topic's experts."""
        author, when = self._timed_author(community, topic, "expert")
        title, body = phrases.document(self.rng, topic, self.rng.choice(topic.tasks))
        self._keep(
            Draft(
                key=len(self.drafts),
                kind="document",
                author_id=author.id,
                created_at=when,
                community_id=community.id,
                topic_id=topic.id,
                title=title,
                body=body,
                score=self.rng.randint(1, 10),
                tags=[topic.id],
            )
        )
