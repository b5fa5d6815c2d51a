"""Related communities: content similarity of community vectors combined with shared members.

Three entry points: for a text (communities whose content matches and where the text's experts
take part), for a member (communities they would fit but have not joined) and for a community
(its neighbours, with the boundary spanners active in both). Each signal is standardized over
the candidates (z-scores) before they are mixed, so a signal that singles out a few communities
weighs more than one that is flat; a score is in standard deviations above the average candidate.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from models.evidence import discoverable, hiding_members
from models.experts import ExpertWeights, rank_experts
from models.participation import LEVELS
from models.snapshot import Snapshot

ACTIVE = LEVELS.index("active")


@dataclass(frozen=True)
class RelatedWeights:
    """The knobs of community relatedness."""

    people_weight: float = 0.3  # share of the shared-members signal; 0 = content only
    experts_considered: int = 20  # for a text: its experts whose communities count
    bridges_shown: int = 5
    experts: ExpertWeights = field(default_factory=ExpertWeights)


@dataclass
class RelatedCommunity:
    """A related community, the two signals behind its score and the members who link to it."""

    community: int
    score: float
    content: float
    people: float
    shared_members: int
    bridges: list[int]  # member rows, discoverable, active in both sides


@dataclass
class CommunityGraph:
    """Who takes part where: member × community levels and members shared by community pairs."""

    levels: sparse.csc_matrix  # (members, communities): level code + 1 where the member belongs
    shared: np.ndarray  # (communities, communities): members in both
    sizes: np.ndarray  # (communities,): members

    @classmethod
    def build(cls, snapshot: Snapshot) -> "CommunityGraph":
        """From the communities members joined (or, with derived memberships, contributed to
        directly), at their level there. Levels rolled up into parent communities are left out:
        they would make an umbrella community look related to everything."""
        members = snapshot.members
        entries = {
            (m, c): members.community_level[m].get(c, 0) + 1
            for m, joined in enumerate(members.communities)
            for c in joined
        }
        keys = np.array(list(entries), dtype=np.int64).reshape(-1, 2)
        shape = (len(members), len(snapshot.communities))
        levels = sparse.csc_matrix(
            (np.array(list(entries.values()), dtype=np.int8), (keys[:, 0], keys[:, 1])), shape=shape
        )
        belongs = (levels > 0).astype(np.float32)
        shared = np.asarray((belongs.T @ belongs).todense(), dtype=np.int64)
        return cls(levels, shared, np.diag(shared).copy())

    def jaccard(self, community: int) -> np.ndarray:
        """Shared members over members of either side, from `community` to every community."""
        union = self.sizes + self.sizes[community] - self.shared[community]
        share: np.ndarray = self.shared[community] / np.maximum(union, 1)
        return share

    def level_column(self, community: int) -> np.ndarray:
        """(members,) level code + 1 in `community`, 0 where not a member."""
        column: np.ndarray = self.levels[:, community].toarray().ravel()
        return column

    def active_in(self, community: int) -> np.ndarray:
        """(members,) bool: active or core in `community`."""
        return self.level_column(community) > ACTIVE


def _ancestors(snapshot: Snapshot, community: int) -> set[int]:
    """Rows of the communities above `community`."""
    parent, up, row = snapshot.communities.parent, set(), snapshot.communities.parent[community]
    while row >= 0 and row not in up and row != community:
        up.add(row)
        row = parent[row]
    return up


def _descendants(snapshot: Snapshot, community: int) -> set[int]:
    """Rows of the communities below `community`, at any depth."""
    parent, frontier = snapshot.communities.parent, {community}
    down: set[int] = set()
    while frontier:
        frontier = {c for c, p in enumerate(parent) if p in frontier} - down - {community}
        down |= frontier
    return down


def _standardized(values: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """(values - mean) / std over the candidates; all zero when the candidates are all equal."""
    if not candidates.any():
        return np.zeros(len(values), np.float32)
    spread = values[candidates].std()
    if spread <= 0:
        return np.zeros(len(values), np.float32)
    scaled: np.ndarray = ((values - values[candidates].mean()) / spread).astype(np.float32)
    return scaled


def _bridges(
    snapshot: Snapshot, graph: CommunityGraph, pool: np.ndarray, community: int, order: np.ndarray, shown: int
) -> list[int]:
    """Discoverable members of `pool` active in `community` who do not hide it, by `order` (desc)."""
    ok = pool & graph.active_in(community) & discoverable(snapshot)
    ok[hiding_members(snapshot, community)] = False
    rows = np.flatnonzero(ok)
    return [int(m) for m in rows[np.argsort(-order[rows], kind="stable")][:shown]]


def _ranked(
    content: np.ndarray, people: np.ndarray, candidates: np.ndarray, k: int, weights: RelatedWeights
) -> list[tuple[int, float, float, float]]:
    """(community, score, content, people) of the k best candidates."""
    w = weights.people_weight
    score = (1 - w) * _standardized(content, candidates) + w * _standardized(people, candidates)
    score = np.where(candidates, score, -np.inf)
    top = [int(c) for c in np.argsort(-score, kind="stable")[:k] if candidates[c]]
    return [(c, float(score[c]), float(content[c]), float(people[c])) for c in top]


def related_to_community(
    snapshot: Snapshot,
    graph: CommunityGraph,
    community: int,
    k: int,
    weights: RelatedWeights = RelatedWeights(),
) -> list[RelatedCommunity]:
    """Communities related to `community` (not its ancestors or sub-communities).

    Args:
        snapshot: the index version.
        graph: the snapshot's CommunityGraph.
        community: the community row.
        k: how many to return.
        weights: the knobs.
    Returns:
        Up to k communities, best first; bridges are active or core in both.
    """
    content = snapshot.community_vectors @ snapshot.community_vectors[community]
    candidates = np.ones(len(snapshot.communities), dtype=bool)
    family = {community} | _ancestors(snapshot, community) | _descendants(snapshot, community)
    candidates[list(family)] = False
    here = graph.level_column(community)
    spanners = here > ACTIVE
    found = []
    for c, score, sim, people in _ranked(content, graph.jaccard(community), candidates, k, weights):
        order = here + graph.level_column(c)
        bridges = _bridges(snapshot, graph, spanners, c, order, weights.bridges_shown)
        shared = int(graph.shared[community, c])
        found.append(RelatedCommunity(c, score, sim, people, shared, bridges))
    return found


def related_to_member(
    snapshot: Snapshot,
    graph: CommunityGraph,
    member: int,
    query_vector: np.ndarray,
    k: int,
    weights: RelatedWeights = RelatedWeights(),
) -> list[RelatedCommunity]:
    """Communities a member would fit but has not joined (nor covers through a sub-community).

    Args:
        snapshot: the index version.
        graph: the snapshot's CommunityGraph.
        member: the member row.
        query_vector: what the member is about, e.g. profile and interests (normalized).
        k: how many to return.
        weights: the knobs.
    Returns:
        Up to k communities, best first; bridges are active in one of the member's communities
        and in the suggested one.
    """
    joined = [int(c) for c in graph.levels[member].nonzero()[1]]
    candidates = np.ones(len(snapshot.communities), dtype=bool)
    for c in joined:
        candidates[[c, *_ancestors(snapshot, c)]] = False
    content = snapshot.community_vectors @ query_vector
    people = np.zeros(len(content))
    if joined:
        people = np.mean([graph.jaccard(c) for c in joined], axis=0)
    neighbours = _members_of(graph, joined, graph.level_column)
    active_near = _members_of(graph, joined, graph.active_in)
    neighbours[member] = active_near[member] = False
    found = []
    for c, score, sim, share in _ranked(content, people, candidates, k, weights):
        inside = graph.level_column(c) > 0
        bridges = _bridges(snapshot, graph, active_near, c, graph.level_column(c), weights.bridges_shown)
        shared = int((neighbours & inside).sum())
        found.append(RelatedCommunity(c, score, sim, share, shared, bridges))
    return found


def related_to_text(
    snapshot: Snapshot,
    graph: CommunityGraph,
    query_vector: np.ndarray,
    query_text: str,
    k: int,
    *,
    exclude: Collection[int] = (),
    weights: RelatedWeights = RelatedWeights(),
) -> list[RelatedCommunity]:
    """Communities about a text: their content matches it and the text's experts take part there.

    Args:
        snapshot: the index version.
        graph: the snapshot's CommunityGraph.
        query_vector: the normalized embedding of the text.
        query_text: the raw text, for the expert ranker's lexical signal.
        k: how many to return.
        exclude: community rows never returned.
        weights: the knobs.
    Returns:
        Up to k communities, best first; shared_members and bridges are the text's experts
        who take part in (bridges: are active in) the community.
    """
    content = snapshot.community_vectors @ query_vector
    candidates = np.ones(len(snapshot.communities), dtype=bool)
    candidates[list(exclude)] = False
    strength = np.zeros(len(snapshot.members), np.float32)
    if weights.people_weight > 0:
        for hit in rank_experts(
            snapshot, query_vector, query_text, weights.experts_considered, weights=weights.experts
        ):
            strength[hit.member] = hit.score
    experts = strength > 0
    people = np.zeros(len(content), np.float32)
    if experts.any():
        levels = graph.levels[np.flatnonzero(experts)].toarray().astype(np.float32)
        people = (strength[experts] @ (levels / len(LEVELS))) / strength.sum()
    found = []
    for c, score, sim, share in _ranked(content, people, candidates, k, weights):
        inside = graph.level_column(c) > 0
        bridges = _bridges(snapshot, graph, experts, c, strength, weights.bridges_shown)
        found.append(RelatedCommunity(c, score, sim, share, int((experts & inside).sum()), bridges))
    return found


def _members_of(
    graph: CommunityGraph, communities: Sequence[int], column: Callable[[int], np.ndarray]
) -> np.ndarray:
    """(members,) bool: True where `column(c)` is true or non-zero for any of `communities`."""
    mask = np.zeros(graph.levels.shape[0], dtype=bool)
    for c in communities:
        mask |= column(c) > 0
    return mask
