"""Build a Snapshot from the store, embedding only texts the previous version did not have.

Besides the snapshot's own files a version keeps what the next build reuses:
`c_embeddings.npy` (contribution vectors, aligned with the rows and their content_hash column; for an
exact index these are the index's own file, so they are stored once),
`community_text_vectors.npy` with `community_text_hashes.json` (embedded community descriptions),
the communities' topic clusterings (models.topics: kept for the same threads, else k-means starts from
them); profile vectors are reused straight from `profile_vectors.npy` by the members' content_hash,
and the lexical index's term counts for the same texts (models.lexical).

Community vector = normalize(mean of the embeddings of the community's contributions, its
sub-communities' included, + the embedding of its name, tags and description); a community
without contributions is its description alone.
"""

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sqlalchemy import Row
from sqlalchemy.orm import Session
from tqdm import tqdm

from indexing.embeddings import (
    EmbedCounts,
    EmbeddingTable,
    TextEncoder,
    content_hash,
    embed_reusing,
)
from indexing.refit import Fitted, changed_since_refit, reuse_fits
from indexing.source import (
    NothingToIndexError,
    iter_contributions,
    read_communities,
    read_feedback,
    read_members,
    read_memberships,
    unix_seconds,
)
from indexing.versions import MANIFEST
from models.expert_features import DEFAULT_RANKER
from models.hierarchy import ancestors, cover_matrix, placement_matrix
from models.lexical import LexicalIndex
from models.participation import Contributions, Levels, participation
from models.query_encoder import StaticQueryEncoder
from models.ranker import RankerModel
from models.ranker_training import DEFAULT_WEIGHTS, FeedbackCase, with_expertise
from models.snapshot import (
    COMMUNITIES_FILE,
    KINDS,
    MEMBERS_FILE,
    PROFILE_VECTORS_FILE,
    RANKER_FILE,
    CommunityRows,
    ContributionRows,
    MemberRows,
    Snapshot,
    contribution_column,
)
from models.snapshot_format import FORMAT
from models.strings import StringColumn
from models.tag_features import tag_text
from models.texts import contribution_text, lexical_text, profile_text
from models.topics import Clusterings, cluster_communities, find_topics, load_clusterings, save_clusterings
from models.vector_index import VECTORS_FILE, VectorIndex

log = logging.getLogger(__name__)

SNIPPET_CHARS = 300
CONTRIBUTION_VECTORS = VECTORS_FILE  # the exact index's own file (models.vector_index)
COMMUNITY_TEXT_VECTORS = "community_text_vectors.npy"
COMMUNITY_TEXT_HASHES = "community_text_hashes.json"
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}


@dataclass
class Previous:
    """What the previous version offers for reuse: its row ids, its vectors by content hash, and, of
    this build's format, its lexical index, topic clusterings, and its static query encoder and
    ranker with what their fit has seen since (None: not reusable)."""

    contribution_ids: Sequence[str]
    member_ids: Sequence[str]
    community_ids: Sequence[str]
    contributions: EmbeddingTable
    profiles: EmbeddingTable
    communities: EmbeddingTable
    lexical: LexicalIndex | None = None
    clusterings: Clusterings | None = None
    fitted: Fitted | None = None
    query_encoder: StaticQueryEncoder | None = None
    ranker: RankerModel | None = None

    @classmethod
    def load(cls, directory: Path) -> "Previous":
        """Open the reusable parts of a version directory (vectors memory-mapped); its lexical index
        and clusterings only when it has this build's format, its fits only when its manifest also
        says what they have seen."""
        members = json.loads((directory / MEMBERS_FILE).read_text())
        communities = json.loads((directory / COMMUNITIES_FILE).read_text())
        manifest = json.loads((directory / MANIFEST).read_text())
        same_format = manifest.get("format") == FORMAT
        lexical = LexicalIndex.load(directory) if same_format else None
        clusterings = load_clusterings(directory) if same_format else None
        fitted, query_encoder, ranker = None, None, None
        if same_format and "changed_since_refit" in manifest:
            fitted = Fitted(manifest["changed_since_refit"], manifest["feedback_cases"])
            query_encoder = StaticQueryEncoder.load(directory)
            ranker = RankerModel.from_json(json.loads((directory / RANKER_FILE).read_text()))
        return cls(
            contribution_ids=StringColumn.load(contribution_column(directory, "ids")),
            member_ids=members["ids"],
            community_ids=communities["ids"],
            contributions=EmbeddingTable(
                StringColumn.load(contribution_column(directory, "content_hash")),
                np.load(directory / CONTRIBUTION_VECTORS, mmap_mode="r"),
            ),
            profiles=EmbeddingTable(
                members["content_hash"], np.load(directory / PROFILE_VECTORS_FILE, mmap_mode="r")
            ),
            communities=EmbeddingTable(
                json.loads((directory / COMMUNITY_TEXT_HASHES).read_text()),
                np.load(directory / COMMUNITY_TEXT_VECTORS, mmap_mode="r"),
            ),
            lexical=lexical,
            clusterings=clusterings,
            fitted=fitted,
            query_encoder=query_encoder,
            ranker=ranker,
        )

    def removed(self, contributions: set[str], members: set[str], communities: set[str]) -> tuple[int, int]:
        """How many of the previous version's rows no longer exist: (contributions, all rows)."""
        gone = sum(1 for i in self.contribution_ids if i not in contributions)
        return gone, (
            gone
            + sum(1 for i in self.member_ids if i not in members)
            + sum(1 for i in self.community_ids if i not in communities)
        )


@dataclass
class Build:
    """A built snapshot plus the vectors the next build reuses, what building it cost, and whether it
    kept the previous fits (indexing.refit)."""

    snapshot: Snapshot
    contribution_vectors: np.ndarray
    community_text_hashes: list[str]
    community_text_vectors: np.ndarray
    clusterings: Clusterings
    counts: EmbedCounts = field(default_factory=EmbedCounts)
    embed_seconds: float = 0.0
    removed: int = 0
    fits_reused: bool = False
    changed_since_refit: int = 0
    feedback_cases: int = 0

    def save(self, directory: Path) -> None:
        """Write every file of the version into the empty `directory`."""
        self.snapshot.save(directory)
        if self.snapshot.contribution_index.kind != "flat":  # a flat index saved these vectors
            np.save(directory / CONTRIBUTION_VECTORS, self.contribution_vectors)
        np.save(directory / COMMUNITY_TEXT_VECTORS, self.community_text_vectors)
        (directory / COMMUNITY_TEXT_HASHES).write_text(json.dumps(self.community_text_hashes))
        save_clusterings(self.clusterings, directory)


@dataclass
class _Columns:
    """Contribution columns gathered while streaming the store."""

    ids: list[str] = field(default_factory=list)
    author: list[int] = field(default_factory=list)
    community: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    thread: list[int] = field(default_factory=list)
    created: list[float] = field(default_factory=list)
    accepted: list[bool] = field(default_factory=list)
    score: list[int] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    snippet: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    lexical: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def snippet(body: str, thread_body: str = "") -> str:
    """The first ~300 characters of `body` (of `thread_body` when body is empty), cut at a word."""
    text = " ".join((body or thread_body).split())
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def community_rows(rows: list[Row]) -> CommunityRows:
    """CommunityRows from the store's communities; unknown parents become -1."""
    row_of = {r.id: i for i, r in enumerate(rows)}
    return CommunityRows(
        ids=[r.id for r in rows],
        names=[r.name for r in rows],
        descriptions=[r.description or "" for r in rows],
        parent=[row_of.get(r.parent_id, -1) if r.parent_id else -1 for r in rows],
    )


def _append(
    columns: _Columns,
    c: Row,
    thread: int,
    context: Row | None,
    member_row: dict[str, int],
    community_row: dict[str, int],
) -> None:
    """Add one contribution; `context` is its thread's root (None for the root itself)."""
    if c.kind not in _KIND_CODE:
        raise ValueError(f"contribution {c.id}: unknown kind {c.kind!r}; expected one of {KINDS}")
    thread_title = (context.title or "") if context is not None else ""
    thread_body = (context.body or "") if context is not None else ""
    columns.ids.append(c.id)
    columns.author.append(member_row[c.author_id])
    columns.community.append(community_row.get(c.community_id, -1) if c.community_id else -1)
    columns.kind.append(_KIND_CODE[c.kind])
    columns.thread.append(thread)
    columns.created.append(unix_seconds(c.created_at))
    columns.accepted.append(bool(c.accepted))
    columns.score.append(int(c.score or 0))
    columns.title.append(thread_title if context is not None else c.title or "")
    columns.snippet.append(snippet(c.body or "", thread_body))
    columns.text.append(contribution_text(c.kind, c.title or "", c.body or "", thread_title, thread_body))
    columns.lexical.append(lexical_text(c.kind, c.title or "", c.body or "", thread_title, thread_body))
    columns.tags.append(tag_text(c.tags or []))


def _read_contributions(
    session: Session, member_row: dict[str, int], community_row: dict[str, int], progress: bool
) -> _Columns:
    """Stream contributions thread by thread into columns, with each one's embedded text."""
    columns, thread, thread_id, root = _Columns(), -1, None, None
    rows = iter_contributions(session)
    for c in tqdm(rows, desc="reading contributions", unit="row", disable=not progress):
        if c.thread_id != thread_id:
            thread, thread_id = thread + 1, c.thread_id
            root = c if c.id == c.thread_id else None
            if root is None:
                log.warning("thread %s has no root contribution: its replies lack context", thread_id)
        _append(columns, c, thread, root if root is not c else None, member_row, community_row)
    return columns


def joined_rows(
    member_ids: Sequence[str], memberships: dict[str, list[str]], community_row: dict[str, int]
) -> list[list[int]]:
    """Per member row, the rows of the communities they are a member of."""
    return [[community_row[c] for c in memberships.get(m, []) if c in community_row] for m in member_ids]


def _member_rows(
    members: list[Row], joined: list[list[int]], levels: Levels, profile_hashes: list[str]
) -> MemberRows:
    """MemberRows: memberships give communities; levels where they joined or took part."""
    row_of = {m.id: row for row, m in enumerate(members)}
    return MemberRows(
        ids=[m.id for m in members],
        names=[m.name for m in members],
        discoverable=[bool(m.discoverable) for m in members],
        mentor_capacity=[int(m.mentor_capacity or 0) for m in members],
        timezone=[m.timezone for m in members],
        languages=[list(m.languages or []) for m in members],
        manager=[row_of.get(m.manager_id, -1) if m.manager_id else -1 for m in members],
        skills=[list(m.skills or []) for m in members],
        interests=[list(m.interests or []) for m in members],
        level=levels.overall,
        communities=joined,
        community_level=levels.per_community,
        content_hash=profile_hashes,
    )


def community_vectors(
    contribution_vectors: np.ndarray,
    community: np.ndarray,
    text_vectors: np.ndarray,
    chains: list[list[int]],
) -> np.ndarray:
    """normalize(mean contribution vector over the community and its sub-communities + text vector).

    Args:
        contribution_vectors: (N, dim) normalized contribution embeddings.
        community: community row of each contribution, -1 when none.
        text_vectors: (C, dim) embedding of each community's name, tags and description.
        chains: ancestors of each community row.
    Returns:
        (C, dim) float32, rows normalized (zero where there is nothing at all).
    """
    covered = cover_matrix(chains) @ placement_matrix(community, len(chains))
    sums = np.asarray(covered @ contribution_vectors, dtype=np.float32)
    counts = np.asarray(covered.sum(axis=1), dtype=np.float32).reshape(-1, 1)
    vectors = sums / np.maximum(counts, 1.0) + text_vectors
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def _hashes(texts: list[str], encoder_name: str) -> list[str]:
    """content_hash of each text; "" for an empty text (nothing to embed)."""
    return [content_hash(text, encoder_name) if text else "" for text in texts]


def feedback_cases(session: Session, encoder: TextEncoder, member_row: dict[str, int]) -> list[FeedbackCase]:
    """The store's feedback on suggested experts still in the index, their questions embedded."""
    rows = [r for r in read_feedback(session) if r.item_id in member_row]
    if not rows:
        return []
    vectors = encoder.encode([r.query for r in rows])
    return [
        FeedbackCase(vector, r.query, member_row[r.item_id], r.verdict == "helpful")
        for r, vector in zip(rows, vectors, strict=True)
    ]


def build_snapshot(
    session: Session,
    encoder: TextEncoder,
    version: int,
    previous: Previous | None,
    exact_max: int,
    progress: bool = False,
    feedback: bool = True,
    refit_share: float = 0.0,
) -> Build:
    """Read the store and build version `version`, reusing `previous`'s vectors for unchanged texts.

    Args:
        session: an open store session (read only).
        encoder: embeds new and changed texts.
        version: the number the snapshot carries.
        previous: the current version's reusable parts, or None to embed everything.
        exact_max: up to this many contributions the vector index is exact.
        progress: show tqdm bars.
        feedback: let the ranker learn from the stored feedback on suggested experts.
        refit_share: keep `previous`'s query encoder and ranker, and start the topics' k-means from
            its clusterings, while less changed (indexing.refit).
    Returns:
        The build, not yet written anywhere.
    Raises:
        NothingToIndexError: the store holds no contribution.
    """
    community_records = read_communities(session)
    communities = community_rows(community_records)
    members = read_members(session)
    member_ids = [m.id for m in members]
    member_row = {m: row for row, m in enumerate(member_ids)}
    joined = joined_rows(member_ids, read_memberships(session), communities.row_of)
    columns = _read_contributions(session, member_row, communities.row_of, progress)
    if not columns.ids:
        raise NothingToIndexError("nothing to index: the store holds no contributions")
    counts, embedding = EmbedCounts(), [0.0]
    old_c, old_p, old_k = (
        (previous.contributions, previous.profiles, previous.communities) if previous else (None,) * 3
    )

    def embed(texts: list[str], old: EmbeddingTable | None, label: str) -> tuple[list[str], np.ndarray]:
        hashes, started = _hashes(texts, encoder.name), time.perf_counter()
        vectors = embed_reusing(texts, hashes, old, encoder, counts, label, progress)
        embedding[0] += time.perf_counter() - started
        return hashes, vectors

    c_hashes, c_vectors = embed(columns.text, old_c, "contributions")
    changed = counts.embedded
    p_hashes, p_vectors = embed(
        [profile_text(m.title or "", m.profile or "", m.skills or []) for m in members],
        old_p,
        "member profiles",
    )
    k_hashes, k_vectors = embed(
        [profile_text(r.name, r.description or "", r.tags or []) for r in community_records],
        old_k,
        "community descriptions",
    )
    gone, removed = (
        previous.removed(set(columns.ids), set(member_ids), set(communities.ids)) if previous else (0, 0)
    )
    cases = feedback_cases(session, encoder, member_row) if feedback else []
    fitted = previous.fitted if previous else None
    reuse = reuse_fits(fitted, changed + gone, len(columns.ids), len(cases), refit_share)
    if reuse:
        log.info("keeping the previous query encoder and ranker (%d texts changed since)", changed + gone)
    rows = _contribution_rows(columns, c_hashes)
    chains = ancestors(communities.parent)
    activity = Contributions(rows.author, rows.community, rows.kind, rows.created)
    levels = participation(activity, member_ids, communities.parent, joined)
    draft = Snapshot(
        version=version,
        reference_time=levels.reference_time,
        contributions=rows,
        members=_member_rows(members, joined, levels, p_hashes),
        communities=communities,
        contribution_index=VectorIndex.build(c_vectors, exact_max=exact_max, seed=0),
        profile_vectors=p_vectors,
        community_vectors=community_vectors(c_vectors, rows.community, k_vectors, chains),
        topic_vectors=np.zeros_like(p_vectors),
        lexical=LexicalIndex.build(columns.lexical, previous.lexical if previous else None),
        ranker=DEFAULT_RANKER,
        query_encoder=(
            previous.query_encoder
            if reuse and previous and previous.query_encoder
            else StaticQueryEncoder.fit(columns.text, c_vectors)
        ),
    )
    learned = with_expertise(draft, c_vectors, cases, ranker=previous.ranker if reuse and previous else None)
    clusterings = cluster_communities(
        learned, c_vectors, previous.clusterings if reuse and previous else None
    )
    snapshot = replace(learned, topics=find_topics(learned, c_vectors, DEFAULT_WEIGHTS.evidence, clusterings))
    since = changed_since_refit(fitted, changed + gone, reuse)
    return Build(
        snapshot,
        c_vectors,
        k_hashes,
        k_vectors,
        clusterings,
        counts,
        embedding[0],
        removed,
        reuse,
        since,
        len(cases),
    )


def _contribution_rows(columns: _Columns, hashes: list[str]) -> ContributionRows:
    """Typed column arrays from the gathered lists."""
    return ContributionRows(
        ids=StringColumn.from_strings(columns.ids),
        author=np.array(columns.author, dtype=np.int32),
        community=np.array(columns.community, dtype=np.int32),
        kind=np.array(columns.kind, dtype=np.int8),
        thread=np.array(columns.thread, dtype=np.int32),
        created=np.array(columns.created, dtype=np.float64),
        accepted=np.array(columns.accepted, dtype=bool),
        score=np.array(columns.score, dtype=np.int32),
        title=StringColumn.from_strings(columns.title),
        snippet=StringColumn.from_strings(columns.snippet),
        content_hash=StringColumn.from_strings(hashes),
        tags=StringColumn.from_strings(columns.tags),
    )
