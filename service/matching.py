"""The matching facade: mentors, cohort assignment and related communities (no HTTP here).

Like the Recommender, it embeds what it is given once and runs the models over the current
snapshot; mentor capacity and past mentorships come from the store.
"""

import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from models.cohort import assign_cohort
from models.communities import (
    CommunityGraph,
    RelatedCommunity,
    RelatedWeights,
    related_to_community,
    related_to_member,
    related_to_text,
)
from models.mentors import (
    MentorHit,
    MentorWeights,
    Topic,
    capacity_left,
    mentor_reason,
    rank_mentors,
    score_mentors,
)
from models.snapshot import Snapshot
from service.exposure import ExposureTracker
from service.queries import Embedder
from service.recommender import Recommendations, UnknownIdError
from service.snapshots import SnapshotHolder
from store.mentorships import active_counts, past_mentors

log = logging.getLogger(__name__)

LABEL_CHARS = 80
RECENT_CONTRIBUTIONS = 3  # a newcomer's latest contributions that count as topics


class MatchRequestError(ValueError):
    """A matching request that cannot be answered as asked (the message says why)."""


class NothingToMatchError(MatchRequestError):
    """No text, and a member without interests, contributions or profile."""


NOTHING_TO_MATCH = "nothing to match mentors on: no interests, contributions or profile"


@dataclass
class CohortFit:
    """What cohort assignment works on: fit of each newcomer (row) with each mentor (column)."""

    mentee_ids: list[str]
    mentor_ids: list[str]
    fit: np.ndarray  # (newcomers, mentors)
    capacity: np.ndarray  # (mentors,) free places
    blank: set[int]  # rows with nothing to match on
    index_version: int


def _label(text: str) -> str:
    """A text short enough to name a topic in a reason."""
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1].rstrip() + "…"


class Matcher:
    """Mentors for newcomers, cohorts and related communities over the current snapshot."""

    def __init__(
        self,
        holder: SnapshotHolder,
        encoder: Embedder,
        sessions: sessionmaker[Session],
        exposure: ExposureTracker | None = None,
        mentor_weights: MentorWeights | None = None,
        related_weights: RelatedWeights | None = None,
    ) -> None:
        self.holder = holder
        self.encoder = encoder
        self.sessions = sessions
        self.exposure = exposure
        self.mentor_weights = mentor_weights or MentorWeights()
        self.related_weights = related_weights or RelatedWeights()
        self._graph: tuple[int, CommunityGraph] | None = None

    def mentors(
        self,
        k: int,
        member_id: str | None = None,
        text: str | None = None,
        include_past: bool = False,
    ) -> Recommendations:
        """Mentors for a newcomer (their interests, profile, first contributions, plus `text`)
        or for a free text of goals; past mentors of the member only with `include_past`."""
        snapshot = self.holder.get()
        mentee = self.member_row(snapshot, member_id) if member_id else None
        topics = self._topics(snapshot, mentee, text)
        exclude = [] if mentee is None or include_past else self._past(snapshot, member_id or "")
        exposure = self.exposure.array_for(snapshot) if self.exposure else None
        hits = rank_mentors(
            snapshot,
            topics,
            k,
            active=self._active(snapshot),
            mentee=mentee,
            exclude=exclude,
            exposure=exposure,
            weights=self.mentor_weights,
        )
        items = [self._mentor_item(snapshot, hit) for hit in hits]
        if self.exposure:
            self.exposure.record([item["member_id"] for item in items])
        return Recommendations(items, snapshot.version)

    def cohort_fit(self, member_ids: list[str]) -> CohortFit:
        """The newcomers × mentors fit matrix of a cohort, over mentors who fit anyone."""
        if len(set(member_ids)) != len(member_ids):
            raise MatchRequestError("member_ids must not repeat a member")
        snapshot = self.holder.get()
        mentees = [self.member_row(snapshot, m) for m in member_ids]
        active = self._active(snapshot)
        fit = np.zeros((len(mentees), len(snapshot.members)), np.float32)
        blank = set()
        for i, (row, member_id) in enumerate(zip(mentees, member_ids, strict=True)):
            try:
                topics = self._topics(snapshot, row, None)
            except NothingToMatchError:
                blank.add(i)
                continue
            fit[i] = score_mentors(
                snapshot,
                topics,
                active=active,
                mentee=row,
                exclude=self._past(snapshot, member_id),
                weights=self.mentor_weights,
            ).fit
        columns = np.flatnonzero(fit.max(axis=0, initial=0) > 0)
        return CohortFit(
            list(member_ids),
            [snapshot.members.ids[c] for c in columns],
            fit[:, columns],
            capacity_left(snapshot, active)[columns],
            blank,
            snapshot.version,
        )

    def cohort(self, member_ids: list[str]) -> dict:
        """Assign every newcomer a mentor at once, maximizing total fit under capacity."""
        cohort = self.cohort_fit(member_ids)
        result = assign_cohort(cohort.fit, cohort.capacity)
        log.info(
            "cohort of %d newcomers: %d matched, total fit %.3f",
            len(member_ids),
            len(result.assignments),
            result.total_fit,
        )
        return {
            "assignments": [
                {
                    "mentee_id": cohort.mentee_ids[a.mentee],
                    "mentor_id": cohort.mentor_ids[a.mentor],
                    "score": round(a.fit, 4),
                }
                for a in result.assignments
            ],
            "unmatched": [
                {
                    "mentee_id": cohort.mentee_ids[u.mentee],
                    "reason": NOTHING_TO_MATCH if u.mentee in cohort.blank else u.reason,
                }
                for u in result.unmatched
            ],
            "index_version": cohort.index_version,
        }

    def related_communities(
        self,
        k: int,
        text: str | None = None,
        member_id: str | None = None,
        community_id: str | None = None,
    ) -> Recommendations:
        """Communities related to exactly one of a text, a member or a community."""
        if sum(x is not None for x in (text, member_id, community_id)) != 1:
            raise MatchRequestError("give exactly one of text, member_id and community_id")
        snapshot = self.holder.get()
        graph = self.graph(snapshot)
        weights = self.related_weights
        if text is not None:
            vector = self.encoder.encode_query(text)
            found = related_to_text(snapshot, graph, vector, text, k, weights=weights)
        elif member_id is not None:
            row = self.member_row(snapshot, member_id)
            found = related_to_member(snapshot, graph, row, self._member_vector(snapshot, row), k, weights)
        else:
            row = self.community_row(snapshot, community_id or "")
            found = related_to_community(snapshot, graph, row, k, weights)
        return Recommendations([self._community_item(snapshot, r) for r in found], snapshot.version)

    def graph(self, snapshot: Snapshot) -> CommunityGraph:
        """The snapshot's community graph, built once per index version."""
        if self._graph is None or self._graph[0] != snapshot.version:
            self._graph = (snapshot.version, CommunityGraph.build(snapshot))
        return self._graph[1]

    @staticmethod
    def member_row(snapshot: Snapshot, member_id: str) -> int:
        """The row of a member who asks (a hidden member may ask; they are never suggested)."""
        if member_id not in snapshot.members.row_of:
            raise UnknownIdError(f"unknown member_id {member_id!r}")
        return snapshot.members.row_of[member_id]

    @staticmethod
    def community_row(snapshot: Snapshot, community_id: str) -> int:
        """The row of a community; UnknownIdError when it is not indexed."""
        if community_id not in snapshot.communities.row_of:
            raise UnknownIdError(f"unknown community_id {community_id!r}")
        return snapshot.communities.row_of[community_id]

    def _active(self, snapshot: Snapshot) -> np.ndarray:
        """Accepted mentorships per member row."""
        counts = np.zeros(len(snapshot.members), np.int64)
        for mentor_id, count in active_counts(self.sessions).items():
            row = snapshot.members.row_of.get(mentor_id)
            if row is not None:
                counts[row] = count
        return counts

    def _past(self, snapshot: Snapshot, member_id: str) -> list[int]:
        """Rows of everyone already proposed to or mentoring this member."""
        row_of = snapshot.members.row_of
        return [row_of[m] for m in past_mentors(self.sessions, member_id) if m in row_of]

    def _topics(self, snapshot: Snapshot, mentee: int | None, text: str | None) -> list[Topic]:
        """What the newcomer wants to learn: `text`, each interest and their latest contributions;
        their profile when there is none of these."""
        texts = [text] if text else []
        if mentee is not None:
            texts += snapshot.members.interests[mentee]
            texts += self._recent_titles(snapshot, mentee)
        vectors = self.encoder.encode(texts) if texts else np.zeros((0, 1), np.float32)
        topics = [Topic(_label(t), t, v) for t, v in zip(texts, vectors, strict=True)]
        if not topics and mentee is not None and snapshot.profile_vectors[mentee].any():
            skills = ", ".join(snapshot.members.skills[mentee])
            label = _label(skills) if skills else "what their profile describes"
            topics.append(Topic(label, skills, snapshot.profile_vectors[mentee]))
        if not topics:
            raise NothingToMatchError(f"{NOTHING_TO_MATCH}; send a text of goals")
        return topics

    @staticmethod
    def _recent_titles(snapshot: Snapshot, member: int) -> list[str]:
        """Thread titles of the member's latest contributions."""
        contributions = snapshot.contributions
        rows = np.flatnonzero(np.asarray(contributions.author) == member)
        latest = rows[np.argsort(-np.asarray(contributions.created)[rows], kind="stable")]
        titles = dict.fromkeys(contributions.title[int(r)] for r in latest)
        return [t for t in titles if t][:RECENT_CONTRIBUTIONS]

    def _member_vector(self, snapshot: Snapshot, member: int) -> np.ndarray:
        """What a member is about: their profile vector plus their embedded interests."""
        vector = snapshot.profile_vectors[member].astype(np.float32).copy()
        interests = snapshot.members.interests[member]
        if interests:
            vector += self.encoder.encode(interests).mean(axis=0)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def _mentor_item(self, snapshot: Snapshot, hit: MentorHit) -> dict:
        """The API shape of one mentor."""
        return {
            "member_id": snapshot.members.ids[hit.member],
            "name": snapshot.members.names[hit.member],
            "score": round(hit.score, 4),
            "reason": mentor_reason(snapshot, hit),
            "topics": hit.topics,
            "capacity_left": hit.capacity_left,
        }

    @staticmethod
    def _community_item(snapshot: Snapshot, found: RelatedCommunity) -> dict:
        """The API shape of one related community."""
        members = snapshot.members
        return {
            "community_id": snapshot.communities.ids[found.community],
            "name": snapshot.communities.names[found.community],
            "score": round(found.score, 4),
            "shared_members": found.shared_members,
            "bridges": [{"member_id": members.ids[m], "name": members.names[m]} for m in found.bridges],
        }
