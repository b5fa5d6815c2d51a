"""The related-communities facade: communities related to a text, a member or a community."""

import numpy as np

from models.communities import (
    CommunityGraph,
    RelatedCommunity,
    RelatedWeights,
    related_to_community,
    related_to_member,
    related_to_text,
)
from models.snapshot import Snapshot
from service.lookup import MatchRequestError, community_row, member_row
from service.queries import Embedder
from service.recommender import Recommendations
from service.snapshots import Snapshots


class RelatedCommunities:
    """Related communities over the current snapshot and its community graph."""

    def __init__(self, holder: Snapshots, encoder: Embedder, weights: RelatedWeights | None = None) -> None:
        self.holder = holder
        self.encoder = encoder
        self.weights = weights or RelatedWeights()
        self._graph: tuple[int, CommunityGraph] | None = None

    def find(
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
        weights = self.weights
        if text is not None:
            vector = self.encoder.encode_query(text)
            found = related_to_text(snapshot, graph, vector, text, k, weights=weights)
        elif member_id is not None:
            row = member_row(snapshot, member_id)
            found = related_to_member(snapshot, graph, row, self._member_vector(snapshot, row), k, weights)
        else:
            row = community_row(snapshot, community_id or "")
            found = related_to_community(snapshot, graph, row, k, weights)
        return Recommendations([_community_item(snapshot, r) for r in found], snapshot.version)

    def graph(self, snapshot: Snapshot) -> CommunityGraph:
        """The snapshot's community graph, built once per index version."""
        if self._graph is None or self._graph[0] != snapshot.version:
            self._graph = (snapshot.version, CommunityGraph.build(snapshot))
        return self._graph[1]

    def _member_vector(self, snapshot: Snapshot, member: int) -> np.ndarray:
        """What a member is about: their profile vector plus their embedded interests."""
        vector = snapshot.profile_vectors[member].astype(np.float32).copy()
        interests = snapshot.members.interests[member]
        if interests:
            vector += self.encoder.encode(interests).mean(axis=0)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector


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
