"""A synthetic organization of any size for load tests, made of real embeddings and real words.

Seed: the questions of the dev bundles (../shared/data/bundles: dba and history) other than the
evaluation protocol's held-out tests, each with its replies. Each seed thread's pieces are embedded
once: the question's text (models.texts.contribution_text), its title and PASSAGE_WORDS-word
passages of its body (≈25k texts; replies in these bundles have no text of their own). A synthetic
thread copies a random seed thread: its question gets the question text's vector, each reply the
vector of a random piece of the thread, plus Gaussian noise, re-normalized (cosine ≈ 0.9 to the
source; ≈40 copies per source at 1M, like paraphrases or replies sharing a thread's context), and
a text made of the seed question's words with NEW_WORD_SHARE of them replaced by words drawn from
the whole seed corpus, so BM25 postings and document lengths stay realistic. English stop words are
left out of these texts: the lexical index drops them anyway, so it is the same, only built faster.
Askers are drawn uniformly from the members, other authors Zipf-like. The snapshot is published as
a normal index version (indexing.versions) beside a store holding only communities and members.

Run: `python -m evaluation.benchmarks.synthetic HOME` (1M contributions, 50k members: ~20 min the first
time on 2 shared cores, most of it embedding the ~25k seed pieces, kept in HOME/seed_vectors.npz for the next
build, which takes ~5 min: 75 s the IVF index, 2 min BM25, 18 s learning the ranker; 1.4 GB on disk).
"""

import dataclasses
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from tqdm import tqdm

from evaluation.data import BUNDLES
from evaluation.protocol import held_out_questions
from evaluation.workspace import QueryCache
from indexing.build import community_vectors, snippet
from indexing.embeddings import TextEncoder
from indexing.job import make_encoder, snapshot_manifest
from indexing.versions import clean_leftovers, index_lock, next_version, write_version
from models.expert_features import DEFAULT_RANKER
from models.hierarchy import ancestors, placement_matrix
from models.lexical import LexicalIndex
from models.participation import Contributions, participation
from models.query_encoder import StaticQueryEncoder
from models.ranker_training import with_expertise
from models.snapshot import KINDS, CommunityRows, ContributionRows, MemberRows, Snapshot
from models.strings import StringColumn
from models.tag_features import tag_text
from models.texts import contribution_text, profile_text
from models.vector_index import VectorIndex
from store.db import open_store
from store.importers.bundle import read_bundle
from store.importers.records import (
    Batch,
    CommunityRecord,
    ContributionRecord,
    Located,
    MemberRecord,
)
from store.importers.upsert import store_batch
from store.settings import Settings

log = logging.getLogger(__name__)

SEED_BUNDLES = ("dba", "history")
SEED_PATHS = tuple(BUNDLES / name for name in SEED_BUNDLES)
PASSAGE_WORDS = 40  # body passages embedded as vector sources for replies
NOISE = 0.5  # norm of the noise added to a unit seed vector: cosine to the seed ≈ 1/√(1+0.25)
NEW_WORD_SHARE = 0.3  # share of a seed text's words replaced by words drawn from the corpus
ZIPF_EXPONENT, ZIPF_OFFSET = 1.1, 20  # reply authors: p(rank) ∝ (rank + offset)^-exponent
HIDDEN_SHARE = 0.02  # members with discoverable false
YEARS = 5  # threads are spread over this many years before REFERENCE_TIME
REFERENCE_TIME = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
REPLY_DELAY_DAYS = 1.0  # mean delay of a reply after its question (exponential)
TIMEZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Europe/London", "Asia/Tokyo")
SEED_VECTORS = "seed_vectors.npz"  # the seed pieces' embeddings, reused by the next build
CHUNK = 50_000  # rows per step when generating vectors and texts
SOURCE = "synthetic"
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}


@dataclass
class Seed:
    """Real threads to copy: per thread its question's embedded text, title, snippet, community and
    pieces (vector sources); per seed row (question first, then replies) kind, acceptance, score."""

    communities: list[CommunityRecord]
    texts: list[str]
    pieces: list[str]  # per thread: its question's text, title, then body passages
    piece_starts: np.ndarray  # int64, len threads + 1: thread t owns pieces piece_starts[t]:[t+1]
    titles: list[str]
    snippets: list[str]
    tags: list[str]  # per thread: its question's tags, as the snapshot keeps them
    community: np.ndarray  # int32 community row per thread, -1 when none
    starts: np.ndarray  # int64, len threads + 1: thread t owns seed rows starts[t]:starts[t+1]
    kind: np.ndarray  # int8 per seed row
    accepted: np.ndarray  # bool per seed row
    score: np.ndarray  # int32 per seed row

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class Layout:
    """Where each synthetic row comes from and who wrote it when."""

    base: np.ndarray  # seed thread copied
    seed_row: np.ndarray  # seed row copied
    source: np.ndarray  # seed piece whose vector the row copies
    thread: np.ndarray  # int32 synthetic thread number
    author: np.ndarray  # int32 member row
    created: np.ndarray  # float64 unix seconds


def read_seed(bundles: Sequence[Path]) -> Seed:
    """The non-held-out questions of `bundles` with their direct replies, as copyable threads."""
    communities: list[CommunityRecord] = []
    threads: list[tuple[ContributionRecord, list[ContributionRecord]]] = []
    for path in bundles:
        batch = read_bundle(path)
        communities += [item.record for item in batch.communities]
        records = [item.record for item in batch.contributions]
        held_out = {q.id for q in held_out_questions(records)}
        replies: dict[str, list[ContributionRecord]] = defaultdict(list)
        for r in records:
            if r.parent_id is not None:
                replies[r.parent_id].append(r)
        threads += [(q, replies[q.id]) for q in records if q.kind == "question" and q.id not in held_out]
    ids = [c.id for c in communities]
    if len(set(ids)) != len(ids):
        raise ValueError(f"the seed bundles {list(map(str, bundles))} share community ids")
    return _seed(communities, threads)


def _seed(
    communities: list[CommunityRecord],
    threads: list[tuple[ContributionRecord, list[ContributionRecord]]],
) -> Seed:
    """Columns of the seed threads."""
    row_of = {c.id: row for row, c in enumerate(communities)}
    rows = [r for q, replies in threads for r in (q, *replies)]
    texts = [contribution_text("question", q.title, q.body) for q, _ in threads]
    pieces = [[text, q.title, *passages(q.body)] for text, (q, _) in zip(texts, threads, strict=True)]
    return Seed(
        communities=communities,
        texts=texts,
        pieces=[piece for thread in pieces for piece in thread],
        piece_starts=np.cumsum([0] + [len(thread) for thread in pieces], dtype=np.int64),
        titles=[q.title for q, _ in threads],
        snippets=[snippet(q.body) for q, _ in threads],
        tags=[tag_text(q.tags) for q, _ in threads],
        community=np.array(
            [row_of.get(q.community_id, -1) if q.community_id else -1 for q, _ in threads], dtype=np.int32
        ),
        starts=np.cumsum([0] + [1 + len(replies) for _, replies in threads], dtype=np.int64),
        kind=np.array([_KIND_CODE[r.kind] for r in rows], dtype=np.int8),
        accepted=np.array([r.accepted for r in rows], dtype=bool),
        score=np.array([r.score for r in rows], dtype=np.int32),
    )


def passages(body: str) -> list[str]:
    """`body` cut into passages of PASSAGE_WORDS words."""
    words = body.split()
    return [" ".join(words[i : i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS)]


def _positions(lengths: np.ndarray) -> np.ndarray:
    """0, 1, …, n-1 for each n in `lengths`, concatenated."""
    ends = np.cumsum(lengths)
    return np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - lengths, lengths)


def zipf_authors(n: int, members: int, rng: np.random.Generator) -> np.ndarray:
    """`n` member rows drawn Zipf-like over a random ranking of the members."""
    weights = (np.arange(members) + 1.0 + ZIPF_OFFSET) ** -ZIPF_EXPONENT
    ranked = rng.permutation(members).astype(np.int32)
    return ranked[rng.choice(members, size=n, p=weights / weights.sum())]


def layout(seed: Seed, contributions: int, members: int, rng: np.random.Generator) -> Layout:
    """Copy random seed threads until there are `contributions` rows (the last one may be cut)."""
    sizes = np.diff(seed.starts)
    base = np.zeros(0, np.int64)
    while sizes[base].sum() < contributions:
        more = int(1.1 * (contributions - sizes[base].sum()) / sizes.mean()) + 1
        base = np.concatenate([base, rng.integers(len(seed), size=more)])
    base = base[: int(np.searchsorted(np.cumsum(sizes[base]), contributions)) + 1]
    position = _positions(sizes[base])[:contributions]
    thread = np.repeat(np.arange(len(base), dtype=np.int32), sizes[base])[:contributions]
    asked = np.sort(rng.uniform(REFERENCE_TIME - YEARS * 365 * 86_400, REFERENCE_TIME, len(base)))
    delay = rng.exponential(REPLY_DELAY_DAYS * 86_400, contributions) * (position > 0)
    author = zipf_authors(contributions, members, rng)
    askers = position == 0
    author[askers] = rng.integers(members, size=int(askers.sum()), dtype=np.int32)
    first, count = seed.piece_starts[base[thread]], np.diff(seed.piece_starts)[base[thread]]
    return Layout(
        base=base[thread],
        seed_row=seed.starts[base[thread]] + position,
        source=first + (rng.random(contributions) * count).astype(np.int64) * ~askers,
        thread=thread,
        author=author,
        created=np.minimum(asked[thread] + delay, REFERENCE_TIME),
    )


def noisy_vectors(sources: np.ndarray, source: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Row i: sources[source[i]] plus Gaussian noise of norm ≈ NOISE, re-normalized."""
    dim = sources.shape[1]
    vectors = np.empty((len(source), dim), dtype=np.float32)
    for start in range(0, len(source), CHUNK):
        part = sources[source[start : start + CHUNK]]
        part = part + rng.standard_normal(part.shape, dtype=np.float32) * (NOISE / np.sqrt(dim))
        vectors[start : start + CHUNK] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return vectors


def recombined_texts(seed: Seed, base: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Row i: the words of seed text base[i] (stop words left out), NEW_WORD_SHARE of them replaced
    by words drawn from all seed texts (so by corpus frequency)."""
    words = [[w for w in text.split() if w not in ENGLISH_STOP_WORDS] for text in seed.texts]
    vocabulary = sorted({w for text in words for w in text})
    code = {w: i for i, w in enumerate(vocabulary)}
    lexicon = np.array(vocabulary, dtype=object)
    tokens = np.array([code[w] for text in words for w in text], dtype=np.int32)
    lengths = np.array([len(text) for text in words], dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    texts: list[str] = []
    for start in tqdm(range(0, len(base), CHUNK), desc="synthetic texts", unit="chunk"):
        part = base[start : start + CHUNK]
        ids = tokens[np.repeat(starts[part], lengths[part]) + _positions(lengths[part])]
        swap = rng.random(len(ids)) < NEW_WORD_SHARE
        ids[swap] = tokens[rng.integers(len(tokens), size=int(swap.sum()))]
        ends = np.cumsum(lengths[part])
        row_words = np.split(lexicon[ids], ends[:-1])
        texts += [" ".join(row) for row in row_words]
    return texts


def _community_rows(records: list[CommunityRecord]) -> CommunityRows:
    """CommunityRows of the seed communities; unknown parents become -1."""
    row_of = {c.id: row for row, c in enumerate(records)}
    return CommunityRows(
        ids=[c.id for c in records],
        names=[c.name for c in records],
        descriptions=[c.description for c in records],
        parent=[row_of.get(c.parent_id, -1) if c.parent_id else -1 for c in records],
    )


def member_rows(
    rows: ContributionRows, members: int, parent: list[int], rng: np.random.Generator
) -> MemberRows:
    """Members `syn-m…` with levels from their synthetic activity; a few are not discoverable."""
    ids = [f"syn-m{i:06d}" for i in range(members)]
    placed = rows.community >= 0
    pairs = np.unique(rows.author[placed].astype(np.int64) * len(parent) + rows.community[placed])
    joined: list[list[int]] = [[] for _ in range(members)]
    for member, community in zip(*np.divmod(pairs, len(parent)), strict=True):
        joined[member].append(int(community))
    activity = Contributions(rows.author, rows.community, rows.kind, rows.created)
    levels = participation(activity, ids, parent, joined)
    return MemberRows(
        ids=ids,
        names=[f"Synthetic member {i}" for i in range(members)],
        discoverable=(rng.random(members) >= HIDDEN_SHARE).tolist(),
        mentor_capacity=rng.integers(0, 3, size=members).tolist(),
        timezone=[TIMEZONES[i % len(TIMEZONES)] for i in range(members)],
        languages=[["en"] for _ in range(members)],
        manager=[-1] * members,
        skills=[[] for _ in range(members)],
        interests=[[] for _ in range(members)],
        level=levels.overall,
        communities=joined,
        community_level=levels.per_community,
        content_hash=[""] * members,
    )


def profile_vectors(author: np.ndarray, vectors: np.ndarray, members: int) -> np.ndarray:
    """Each member's normalized mean contribution vector (zero row for a member without any)."""
    sums = np.asarray(placement_matrix(author, members) @ vectors, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1.0)


def contribution_rows(seed: Seed, plan: Layout) -> ContributionRows:
    """The contribution columns of the synthetic rows (titles and snippets are the seed's)."""
    return ContributionRows(
        ids=StringColumn.from_strings(f"syn-c{i:07d}" for i in range(len(plan.base))),
        author=plan.author,
        community=seed.community[plan.base],
        kind=seed.kind[plan.seed_row],
        thread=plan.thread,
        created=plan.created,
        accepted=seed.accepted[plan.seed_row],
        score=seed.score[plan.seed_row],
        title=StringColumn.from_strings(seed.titles[t] for t in plan.base.tolist()),
        snippet=StringColumn.from_strings(seed.snippets[t] for t in plan.base.tolist()),
        content_hash=StringColumn.from_strings("" for _ in range(len(plan.base))),
        tags=StringColumn.from_strings(seed.tags[t] for t in plan.base.tolist()),
    )


def synthesize(
    seed: Seed,
    encoder: TextEncoder,
    contributions: int,
    members: int,
    exact_max: int,
    rng_seed: int = 0,
    vector_cache: Path | None = None,
) -> Snapshot:
    """A snapshot of `contributions` rows copied from `seed`, by `members` members (version 0).

    Args:
        seed: the real threads to copy.
        encoder: embeds the seed pieces and the community descriptions, once each.
        contributions: rows of the snapshot.
        members: members of the synthetic organization.
        exact_max: above this many rows the vector index is IVF (settings.exact_search_max).
        rng_seed: seeds every random draw.
        vector_cache: where the seed pieces' embeddings are kept between builds (None: nowhere).
    Returns:
        The snapshot, not yet written anywhere.
    """
    rng = np.random.default_rng(rng_seed)
    plan = layout(seed, contributions, members, rng)
    rows = contribution_rows(seed, plan)
    communities = _community_rows(seed.communities)
    chains = ancestors(communities.parent)
    used = np.unique(plan.source)
    sources = np.zeros((len(seed.pieces), encoder.dim), dtype=np.float32)
    pieces = [seed.pieces[p] for p in used.tolist()]
    sources[used] = QueryCache(encoder, pieces, vector_cache).matrix(pieces)  # type: ignore[arg-type]
    described = [profile_text(c.name, c.description, c.tags) for c in seed.communities]
    vectors = noisy_vectors(sources, plan.source, rng)
    profiles = profile_vectors(plan.author, vectors, members)
    grouped = community_vectors(vectors, rows.community, encoder.encode(described), chains)
    log.info("building the vector index of %d rows", contributions)
    index = VectorIndex.build(vectors, exact_max=exact_max, seed=rng_seed)
    log.info("building the lexical index of %d rows", contributions)
    texts = recombined_texts(seed, plan.base, rng)
    draft = Snapshot(
        version=0,
        reference_time=float(rows.created.max()),
        contributions=rows,
        members=member_rows(rows, members, communities.parent, rng),
        communities=communities,
        contribution_index=index,
        profile_vectors=profiles,
        community_vectors=grouped,
        topic_vectors=np.zeros_like(profiles),
        lexical=LexicalIndex.build(texts),
        ranker=DEFAULT_RANKER,
        query_encoder=StaticQueryEncoder.fit(texts, vectors),
    )
    log.info("learning the expert ranker")
    return with_expertise(draft, vectors)


def store_roster(settings: Settings, snapshot: Snapshot, communities: list[CommunityRecord]) -> None:
    """Write the communities and the snapshot's members (no contribution) into the store."""
    m = snapshot.members
    records = [
        MemberRecord(
            id=m.ids[row],
            name=m.names[row],
            timezone=m.timezone[row],
            languages=m.languages[row],
            mentor_capacity=m.mentor_capacity[row],
            discoverable=m.discoverable[row],
        )
        for row in range(len(m))
    ]
    batch = Batch(
        communities=[Located(c, SOURCE, None) for c in communities],
        members=[Located(r, SOURCE, None) for r in records],
        memberships=[],
    )
    store_batch(open_store(settings), batch)


def publish_snapshot(settings: Settings, snapshot: Snapshot, encoder: TextEncoder, source: dict) -> Path:
    """Write `snapshot` as the next index version under settings.index_dir and make it current.

    Args:
        settings: where the index directory is, which model the manifest names.
        snapshot: the snapshot; it is published with the next free version number.
        encoder: the encoder that embedded the seed, recorded in the manifest.
        source: how the snapshot was made, recorded as the manifest's `source`.
    Returns:
        The published version directory.
    """
    index_dir = settings.index_dir
    with index_lock(index_dir):
        clean_leftovers(index_dir)
        snapshot = dataclasses.replace(snapshot, version=next_version(index_dir))
        return write_version(index_dir, snapshot.save, _manifest(settings, snapshot, encoder, source))


def _manifest(settings: Settings, snapshot: Snapshot, encoder: TextEncoder, source: dict) -> dict:
    """The manifest indexing.job would write for this snapshot."""
    return snapshot_manifest(snapshot, settings, encoder, {SOURCE: source}, full=True)


def build_home(
    settings: Settings,
    encoder: TextEncoder,
    contributions: int,
    members: int,
    rng_seed: int = 0,
    bundles: Sequence[Path] = SEED_PATHS,
) -> Path:
    """Fill settings.home with a synthetic organization: store roster and a published index.

    Returns:
        The published version directory.
    """
    started = time.perf_counter()
    seed = read_seed(bundles)
    log.info("seed: %d threads, %d rows", len(seed), len(seed.kind))
    snapshot = synthesize(
        seed,
        encoder,
        contributions,
        members,
        settings.exact_search_max,
        rng_seed,
        settings.home / SEED_VECTORS,
    )
    store_roster(settings, snapshot, seed.communities)
    source = {
        "contributions": contributions,
        "members": members,
        "seed": rng_seed,
        "bundles": [Path(b).name for b in bundles],
        "seed_threads": len(seed),
        "seed_pieces": len(seed.pieces),
    }
    directory = publish_snapshot(settings, snapshot, encoder, source)
    log.info("synthetic index %s built in %.0f s", directory, time.perf_counter() - started)
    return directory


def main(
    home: Annotated[Path, typer.Argument(help="COPMATCH_HOME to fill (store and index)")],
    contributions: Annotated[int, typer.Option(min=1, help="synthetic contributions")] = 1_000_000,
    members: Annotated[int, typer.Option(min=1, help="synthetic members")] = 50_000,
) -> None:
    """Build a synthetic organization under HOME with the encoder the settings name."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings(home=home)
    directory = build_home(settings, make_encoder(settings), contributions, members)
    typer.echo(f"published {directory}")


if __name__ == "__main__":
    typer.run(main)
