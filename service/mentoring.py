"""The mentor facade: mentors for a newcomer and mentors for a whole cohort (no HTTP here).

Mentor capacity and past mentorships come from the store; topics are embedded with the model.
"""

import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from models.cohort import assign_cohort
from models.mentors import MentorHit, MentorWeights, capacity_left, mentor_reason, rank_mentors, score_mentors
from models.snapshot import Snapshot
from service.exposure import ExposureTracker
from service.lookup import MatchRequestError, member_row
from service.queries import Embedder
from service.recommender import Recommendations
from service.snapshots import Snapshots
from service.topics import NOTHING_TO_MATCH, NothingToMatchError, newcomer_topics
from store.mentorships import active_counts, past_mentors

log = logging.getLogger(__name__)


@dataclass
class CohortFit:
    """What cohort assignment works on: fit of each newcomer (row) with each mentor (column)."""

    mentee_ids: list[str]
    mentor_ids: list[str]
    fit: np.ndarray  # (newcomers, mentors)
    capacity: np.ndarray  # (mentors,) free places
    blank: set[int]  # rows with nothing to match on
    index_version: int


class Mentoring:
    """Mentors for newcomers and cohorts over the current snapshot."""

    def __init__(
        self,
        holder: Snapshots,
        encoder: Embedder,
        sessions: sessionmaker[Session],
        exposure: ExposureTracker | None = None,
        weights: MentorWeights | None = None,
    ) -> None:
        self.holder = holder
        self.encoder = encoder
        self.sessions = sessions
        self.exposure = exposure
        self.weights = weights or MentorWeights()

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
        mentee = member_row(snapshot, member_id) if member_id else None
        topics = newcomer_topics(snapshot, self.encoder, mentee, text)
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
            weights=self.weights,
        )
        items = [_mentor_item(snapshot, hit) for hit in hits]
        if self.exposure:
            self.exposure.record([item["member_id"] for item in items])
        return Recommendations(items, snapshot.version)

    def cohort_fit(self, member_ids: list[str]) -> CohortFit:
        """The newcomers × mentors fit matrix of a cohort, over mentors who fit anyone."""
        if len(set(member_ids)) != len(member_ids):
            raise MatchRequestError("member_ids must not repeat a member")
        snapshot = self.holder.get()
        mentees = [member_row(snapshot, m) for m in member_ids]
        active = self._active(snapshot)
        fit = np.zeros((len(mentees), len(snapshot.members)), np.float32)
        blank = set()
        for i, (row, member_id) in enumerate(zip(mentees, member_ids, strict=True)):
            try:
                topics = newcomer_topics(snapshot, self.encoder, row, None)
            except NothingToMatchError:
                blank.add(i)
                continue
            fit[i] = score_mentors(
                snapshot,
                topics,
                active=active,
                mentee=row,
                exclude=self._past(snapshot, member_id),
                weights=self.weights,
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

    def places_left(self, member_id: str) -> int:
        """How many more mentees the member can accept now (0 for one who does not mentor)."""
        snapshot = self.holder.get()
        return int(capacity_left(snapshot, self._active(snapshot))[member_row(snapshot, member_id)])

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


def _mentor_item(snapshot: Snapshot, hit: MentorHit) -> dict:
    """The API shape of one mentor."""
    return {
        "member_id": snapshot.members.ids[hit.member],
        "name": snapshot.members.names[hit.member],
        "score": round(hit.score, 4),
        "reason": mentor_reason(snapshot, hit),
        "topics": hit.topics,
        "capacity_left": hit.capacity_left,
    }
