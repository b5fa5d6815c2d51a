"""One index build as the query path sees it: vectors, aligned metadata and the lexical index.

Everything ranking needs per vector lives here, so a query touches no database row.
"""

import json
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from models.lexical import LexicalIndex
from models.mapped import load_mapped
from models.query_encoder import StaticQueryEncoder
from models.ranker import RankerModel
from models.snapshot_format import FORMAT
from models.strings import StringColumn
from models.topic_map import TopicMap
from models.vector_index import VectorIndex

T = TypeVar("T")
KINDS = ("question", "answer", "post", "comment", "document", "solution")

# the files of a version, besides the lexical index and static query encoder files (their modules)
PROFILE_VECTORS_FILE = "profile_vectors.npy"
COMMUNITY_VECTORS_FILE = "community_vectors.npy"
TOPIC_VECTORS_FILE = "topic_vectors.npy"
RANKER_FILE = "ranker.json"
MEMBERS_FILE = "members.json"
COMMUNITIES_FILE = "communities.json"
TOPICS_FILE = "topics.json"
RESPONSIVENESS_FILE = "responsiveness.npy"  # only where the feedback feature is on
META_FILE = "snapshot.json"

_NUMERIC = ("author", "community", "kind", "thread", "created", "accepted", "score")
_TEXT = ("ids", "title", "snippet", "content_hash", "tags")


def contribution_column(directory: Path, name: str, suffix: str = "") -> Path:
    """Where the contribution column `name` of a version lies."""
    return directory / f"c_{name}{suffix}"


@dataclass
class ContributionRows:
    """Column-wise contribution metadata; row i describes vector i of the contribution index."""

    ids: StringColumn  # store ids
    author: np.ndarray  # int32: row in MemberRows
    community: np.ndarray  # int32: row in CommunityRows, -1 when none
    kind: np.ndarray  # int8: position in KINDS
    thread: np.ndarray  # int32: equal numbers share a thread
    created: np.ndarray  # float64: unix seconds
    accepted: np.ndarray  # bool: accepted answer or validated solution
    score: np.ndarray  # int32: votes or endorsements
    title: StringColumn  # the thread's title
    snippet: StringColumn  # the start of the contribution's own text
    content_hash: StringColumn  # hash of the embedded text, for incremental builds
    tags: StringColumn  # the contribution's tags (an answer's: its question's), space-separated

    def __len__(self) -> int:
        return len(self.author)

    def save(self, directory: Path) -> None:
        """Write every column under `directory`."""
        for name in _NUMERIC:
            np.save(contribution_column(directory, name, ".npy"), getattr(self, name))
        for name in _TEXT:
            getattr(self, name).save(contribution_column(directory, name))

    @classmethod
    def load(cls, directory: Path) -> "ContributionRows":
        """Memory-map the columns written by `save`."""
        numeric = {n: load_mapped(contribution_column(directory, n, ".npy")) for n in _NUMERIC}
        text = {n: StringColumn.load(contribution_column(directory, n)) for n in _TEXT}
        columns: dict[str, Any] = {**numeric, **text}  # the fields by name, of either kind
        return cls(**columns)


@dataclass
class MemberRows:
    """Member attributes the recommenders filter and explain with (small: kept as lists).

    `discoverable` says who may be recommended and `listed` whose profile and name may be shown;
    the two differ only in a live view, where an away member is listed but not recommended.
    """

    ids: list[str]
    names: list[str]
    discoverable: list[bool]
    mentor_capacity: list[int]
    timezone: list[str | None]
    languages: list[list[str]]
    manager: list[int]  # row of the manager, -1 when none
    skills: list[list[str]]
    interests: list[list[str]]
    level: list[int]  # level code (models.participation.LEVELS), over all communities
    communities: list[list[int]]  # community rows the member belongs to
    community_level: list[dict[int, int]]  # community row -> level there
    content_hash: list[str]
    row_of: dict[str, int] = field(init=False, repr=False)
    listed: list[bool] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.row_of = {member_id: row for row, member_id in enumerate(self.ids)}
        self.listed = list(self.discoverable)

    @cached_property
    def discoverable_mask(self) -> np.ndarray:
        """`discoverable` as a bool array."""
        return np.array(self.discoverable, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)

    def to_json(self) -> dict[str, Any]:
        """The columns as JSON-ready lists."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        data["community_level"] = [{str(c): lv for c, lv in d.items()} for d in self.community_level]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MemberRows":
        """Inverse of `to_json`."""
        data = dict(data)
        data["community_level"] = [{int(c): lv for c, lv in d.items()} for d in data["community_level"]]
        return cls(**data)


@dataclass
class CommunityRows:
    """Community attributes; row i matches row i of the community vectors."""

    ids: list[str]
    names: list[str]
    descriptions: list[str]
    parent: list[int]  # row of the parent community, -1 when none
    row_of: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.row_of = {community_id: row for row, community_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Snapshot:
    """A complete, immutable index version, loadable in one call.

    `cache` holds the arrays derived from a version that every request reads, computed once when it
    is loaded (models.expert_features.with_caches); `derived` reads them, or computes one not kept.
    """

    version: int
    reference_time: float  # unix seconds of the newest contribution: "now" for recency
    contributions: ContributionRows
    members: MemberRows
    communities: CommunityRows
    contribution_index: VectorIndex
    profile_vectors: np.ndarray  # (members, dim) float32, normalized; zero row = no profile
    community_vectors: np.ndarray  # (communities, dim) float32, normalized
    topic_vectors: np.ndarray  # (members, dim) float32: centroid of each member's evidence
    lexical: LexicalIndex
    ranker: RankerModel  # the expert ranker's weights, learned from this version's history
    query_encoder: StaticQueryEncoder  # the sentence encoder distilled from this version's texts
    topics: TopicMap = field(default_factory=TopicMap)  # each community's topics and their holders
    responsiveness: np.ndarray | None = None  # float32 per member, from feedback; None = no feedback
    visible: np.ndarray | None = None  # bool per contribution in a training view as of a past time
    hidden_topics: np.ndarray | None = None  # sorted topic_keys of (member, community) hidden (live view)
    cache: Mapping[Hashable, Any] = field(default_factory=dict, repr=False, compare=False)  # derived, by key

    def derived(self, key: Hashable, compute: "Callable[[Snapshot], T]") -> T:
        """The derived value under `key`: the one cached at load, else `compute(self)` (not kept)."""
        found = self.cache.get(key)
        return compute(self) if found is None else found

    def save(self, directory: Path) -> None:
        """Write the snapshot's files into an existing, empty `directory`."""
        self.contributions.save(directory)
        self.contribution_index.save(directory)
        self.lexical.save(directory)
        np.save(directory / PROFILE_VECTORS_FILE, self.profile_vectors)
        np.save(directory / COMMUNITY_VECTORS_FILE, self.community_vectors)
        np.save(directory / TOPIC_VECTORS_FILE, self.topic_vectors)
        (directory / RANKER_FILE).write_text(json.dumps(self.ranker.to_json()))
        self.query_encoder.save(directory)
        (directory / TOPICS_FILE).write_text(json.dumps(self.topics.to_json()))
        if self.responsiveness is not None:
            np.save(directory / RESPONSIVENESS_FILE, self.responsiveness)
        (directory / MEMBERS_FILE).write_text(json.dumps(self.members.to_json()))
        communities = {f.name: getattr(self.communities, f.name) for f in fields(CommunityRows) if f.init}
        (directory / COMMUNITIES_FILE).write_text(json.dumps(communities))
        meta = {"format": FORMAT, "version": self.version, "reference_time": self.reference_time}
        (directory / META_FILE).write_text(json.dumps(meta))

    def topic_keys(self, members: np.ndarray, communities: np.ndarray) -> np.ndarray:
        """One int64 per (member row, community row or -1) pair, as `hidden_topics` holds them."""
        return members.astype(np.int64) * (len(self.communities) + 1) + communities.astype(np.int64) + 1

    @classmethod
    def load(cls, directory: Path) -> "Snapshot":
        """Open a snapshot written by `save`; large arrays are memory-mapped."""
        meta = json.loads((directory / META_FILE).read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory} holds index format {meta.get('format', 1)}, not {FORMAT}")
        return cls(
            version=meta["version"],
            reference_time=meta["reference_time"],
            contributions=ContributionRows.load(directory),
            members=MemberRows.from_json(json.loads((directory / MEMBERS_FILE).read_text())),
            communities=CommunityRows(**json.loads((directory / COMMUNITIES_FILE).read_text())),
            contribution_index=VectorIndex.load(directory),
            profile_vectors=np.load(directory / PROFILE_VECTORS_FILE),
            community_vectors=np.load(directory / COMMUNITY_VECTORS_FILE),
            topic_vectors=load_mapped(directory / TOPIC_VECTORS_FILE),
            lexical=LexicalIndex.load(directory),
            ranker=RankerModel.from_json(json.loads((directory / RANKER_FILE).read_text())),
            query_encoder=StaticQueryEncoder.load(directory),
            topics=TopicMap.from_json(json.loads((directory / TOPICS_FILE).read_text())),
            responsiveness=_optional_array(directory / RESPONSIVENESS_FILE),
        )


def _optional_array(path: Path) -> np.ndarray | None:
    """The array saved at `path`, or None when the version has none."""
    return np.load(path) if path.is_file() else None
