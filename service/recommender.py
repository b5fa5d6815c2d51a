"""The recommendation facade: query text in, explained recommendations out (no HTTP here).

The HTTP routes, the chat commands and the offline evaluation all call this one class.
"""

from dataclasses import dataclass

import numpy as np

from models.evidence import hidden_evidence
from models.experts import ExpertHit, ExpertWeights, anyone_matches, rank_experts
from models.explain import day_of, expert_reason
from models.participation import LEVELS
from models.retrieval import FusionWeights
from models.snapshot import KINDS, Snapshot
from models.solutions import find_solutions
from service.exposure import ExposureTracker
from service.lookup import community_row
from service.queries import QueryEmbedder
from service.snapshots import Snapshots

DEFAULT_WEIGHTS = ExpertWeights()


NO_MATCH = "No one in the organization has written about this; the closest people are listed instead."


@dataclass
class Recommendations:
    """Ranked, explained items plus the index version they came from; `matched` False: nothing
    really matches, and the items are only the closest people."""

    items: list[dict]
    index_version: int
    matched: bool = True

    @property
    def message(self) -> str | None:
        """What to say plainly when nothing matches."""
        return None if self.matched else NO_MATCH


class Recommender:
    """Embeds the query once (what the encoder reads of it: service.queries) and runs the
    recommenders over the current snapshot, whose keyword side reads the whole query."""

    def __init__(
        self,
        holder: Snapshots,
        queries: QueryEmbedder,
        exposure: ExposureTracker | None = None,
        weights: ExpertWeights = DEFAULT_WEIGHTS,
    ) -> None:
        self.holder = holder
        self.queries = queries
        self.exposure = exposure
        self.weights = weights

    def experts(
        self, text: str, k: int, community_id: str | None = None, exclude: list[str] | None = None
    ) -> Recommendations:
        """Members who know about `text`, with evidence; records exposure for load spreading."""
        snapshot = self.holder.get()
        community = self.community_row(snapshot, community_id)
        excluded = [snapshot.members.row_of[m] for m in exclude or [] if m in snapshot.members.row_of]
        exposure = self.exposure.array_for(snapshot) if self.exposure else None
        hits = rank_experts(
            snapshot,
            self.queries.embed_query(snapshot, text),
            text,
            k,
            community=community,
            exclude=excluded,
            exposure=exposure,
            weights=self.weights,
        )
        items = [self._expert_item(snapshot, hit) for hit in hits]
        if self.exposure:
            self.exposure.record([item["member_id"] for item in items])
        return Recommendations(items, snapshot.version, anyone_matches(hits))

    def solutions(self, text: str, k: int, community_id: str | None = None) -> Recommendations:
        """Accepted answers, validated solutions and documents similar to `text`."""
        snapshot = self.holder.get()
        community = self.community_row(snapshot, community_id)
        fusion: FusionWeights = self.weights.fusion
        hits = find_solutions(
            snapshot,
            self.queries.embed_query(snapshot, text),
            text,
            k,
            community=community,
            fusion=fusion,
        )
        items = [self._solution_item(snapshot, h.row, h.score, h.similarity) for h in hits]
        return Recommendations(items, snapshot.version)

    @staticmethod
    def community_row(snapshot: Snapshot, community_id: str | None) -> int | None:
        """The snapshot row of a community id; UnknownIdError when it is not indexed."""
        return None if community_id is None else community_row(snapshot, community_id)

    def _expert_item(self, snapshot: Snapshot, hit: ExpertHit) -> dict:
        """The API shape of one expert."""
        members = snapshot.members
        return {
            "member_id": members.ids[hit.member],
            "name": members.names[hit.member],
            "score": round(hit.score, 4),
            "confidence": round(hit.confidence, 4),
            "level": LEVELS[members.level[hit.member]],
            "reason": expert_reason(snapshot, hit),
            "evidence": [self._evidence_item(snapshot, e.row, e.similarity) for e in hit.evidence],
        }

    @staticmethod
    def _evidence_item(snapshot: Snapshot, row: int, similarity: float | None) -> dict:
        """One contribution as evidence: what, where, how similar, when."""
        c = snapshot.contributions
        community = int(c.community[row])
        return {
            "contribution_id": c.ids[row],
            "kind": KINDS[c.kind[row]],
            "title": c.title[row],
            "similarity": None if similarity is None else round(similarity, 4),
            "accepted": bool(c.accepted[row]),
            "created_at": day_of(float(c.created[row])),
            "community_id": snapshot.communities.ids[community] if community >= 0 else None,
        }

    def _solution_item(self, snapshot: Snapshot, row: int, score: float, similarity: float | None) -> dict:
        """The API shape of one past solution; no author for an opted-out one or a topic they hide."""
        c = snapshot.contributions
        author = int(c.author[row])
        named = snapshot.members.listed[author] and not hidden_evidence(snapshot, np.array([row]))[0]
        item = self._evidence_item(snapshot, row, similarity)
        item.update(
            score=round(score, 4),
            snippet=c.snippet[row],
            author_id=snapshot.members.ids[author] if named else None,
            author_name=snapshot.members.names[author] if named else None,
        )
        return item
