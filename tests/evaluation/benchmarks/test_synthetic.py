"""A tiny synthetic organization is published as a normal index version and answers queries."""

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from evaluation.benchmarks.synthetic import SEED_BUNDLES, build_home, read_seed, zipf_authors
from evaluation.data import BUNDLES
from indexing.versions import current_dir, read_manifest, verify
from models.experts import rank_experts
from models.snapshot import Snapshot
from store.db import open_store
from store.settings import Settings
from store.tables import Member

ROWS, MEMBERS = 2_000, 150
DIM = 32


class WordHashEncoder:
    """Sum of per-word random vectors: texts sharing words get similar unit vectors."""

    name = "fake/word-hash"
    dim = DIM

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return np.array([self.encode_query(text) for text in texts], dtype=np.float32).reshape(
            len(texts), DIM
        )

    def encode_query(self, text: str) -> np.ndarray:
        vector = np.sum([_word_vector(word) for word in text.split()] or [np.zeros(DIM)], axis=0)
        return (vector / max(np.linalg.norm(vector), 1e-9)).astype(np.float32)


@functools.cache
def _word_vector(word: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(DIM)


@pytest.fixture(scope="module")
def bundles() -> list[Path]:
    if not all((BUNDLES / name).is_dir() for name in SEED_BUNDLES):
        pytest.skip(f"no dev bundles under {BUNDLES}")
    return [BUNDLES / name for name in SEED_BUNDLES]


@pytest.fixture(scope="module")
def home(tmp_path_factory, bundles) -> tuple[Settings, Path]:  # type: ignore[no-untyped-def]
    """A 2k-row synthetic organization; exact_search_max below its size forces an IVF index."""
    settings = Settings(home=tmp_path_factory.mktemp("synthetic"), exact_search_max=500, _env_file=None)
    return settings, build_home(settings, WordHashEncoder(), ROWS, MEMBERS, bundles=bundles)


def test_published_version_is_current_and_verified(home) -> None:  # type: ignore[no-untyped-def]
    settings, directory = home
    assert current_dir(settings.index_dir) == directory
    manifest = verify(directory)
    assert manifest["counts"] == {"contributions": ROWS, "members": MEMBERS, "communities": 82}
    assert manifest["index"]["type"] == "ivf"
    assert read_manifest(directory)["encoder"] == WordHashEncoder.name


def test_snapshot_columns_are_consistent(home) -> None:  # type: ignore[no-untyped-def]
    snapshot = Snapshot.load(home[1])
    rows = snapshot.contributions
    assert len(rows) == snapshot.lexical.documents == snapshot.contribution_index.ntotal
    assert rows.author.max() < MEMBERS and rows.community.max() < len(snapshot.communities)
    starts = np.flatnonzero(np.diff(rows.thread, prepend=-1))
    assert (rows.kind[starts] == 0).all()  # every thread opens with its question
    assert np.all(np.diff(rows.created[starts]) >= 0)


def test_store_holds_the_members_the_index_names(home) -> None:  # type: ignore[no-untyped-def]
    settings, directory = home
    snapshot = Snapshot.load(directory)
    with open_store(settings)() as session:
        stored = {m.id: m.discoverable for m in session.query(Member)}
    assert stored == dict(zip(snapshot.members.ids, snapshot.members.discoverable, strict=True))


def test_a_seed_question_finds_its_copies_and_their_authors(home, bundles) -> None:  # type: ignore[no-untyped-def]
    snapshot = Snapshot.load(home[1])
    seed = read_seed(bundles)
    rows, members = snapshot.contributions, snapshot.members
    title = rows.title[0]
    text = seed.texts[seed.titles.index(title)]
    query = WordHashEncoder().encode_query(text)
    _, top = snapshot.contribution_index.search(query[None, :], 5)
    assert rows.title[int(top[0, 0])] == title
    copies = np.flatnonzero(np.array(rows.title[:]) == title)
    authors = {int(a) for a in rows.author[copies] if members.discoverable[int(a)]}
    ranked = {hit.member for hit in rank_experts(snapshot, query, text, MEMBERS)}
    assert authors and authors <= ranked
    assert all(members.discoverable[m] for m in ranked)


def test_zipf_authors_concentrate_activity() -> None:
    counts = np.bincount(zipf_authors(100_000, 1_000, np.random.default_rng(0)), minlength=1_000)
    ranked = np.sort(counts)[::-1]
    assert ranked[:10].sum() > 10 * ranked[500:510].sum()
