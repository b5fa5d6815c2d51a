"""A private copmatch home for one evaluation: a written bundle, imported and indexed for real.

The bundle is imported with the real importer and indexed with the real indexing job. A work
folder is reused: with the same bundle nothing is imported; with the same communities and
members but other contributions (another split of the same dataset) the bundle is imported with
pruning and the index rebuilt incrementally, so only texts new to it are embedded; anything else
starts from an empty home.
"""

import hashlib
import json
import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from indexing.build import CONTRIBUTION_VECTORS
from indexing.embeddings import TextEncoder, content_hash
from indexing.job import run_index
from indexing.versions import current_dir
from models.encoder import Encoder
from service.snapshots import SnapshotHolder
from store.db import open_store
from store.importers.bundle import import_bundle
from store.importers.records import Batch, Located
from store.settings import Settings

log = logging.getLogger(__name__)
DIGEST_FILE = "bundle.json"  # sha256 per file of the imported bundle
QUERY_VECTORS = "queries.npz"  # query embeddings kept between runs, beside the home
TEXT_VECTORS = "texts.npz"  # every text the index embedded, so a later split re-embeds none of them


@dataclass
class Workspace:
    """An imported, indexed home: its settings, store and served snapshot."""

    settings: Settings
    sessions: sessionmaker[Session]
    holder: SnapshotHolder

    def all_vectors(self) -> np.ndarray:
        """The current version's contribution embeddings, row-aligned with its snapshot (mapped)."""
        directory = current_dir(self.settings.index_dir)
        if directory is None:
            raise FileNotFoundError(f"no index version under {self.settings.index_dir}")
        return np.load(directory / CONTRIBUTION_VECTORS, mmap_mode="r")

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The index's embeddings of contributions, by id (each text was embedded once, there)."""
        snapshot = self.holder.get()
        row_of = {cid: row for row, cid in enumerate(snapshot.contributions.ids)}
        missing = [cid for cid in ids if cid not in row_of]
        if missing:
            raise KeyError(f"{len(missing)} contributions are not indexed, e.g. {missing[0]!r}")
        return np.asarray(self.all_vectors()[[row_of[cid] for cid in ids]], dtype=np.float32)


def _write_jsonl(path: Path, items: Sequence[Located[Any]]) -> None:
    """Records as JSON Lines, unset fields left out."""
    with open(path, "w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item.record.model_dump(mode="json", exclude_none=True)) + "\n")


def write_bundle(batch: Batch, folder: Path) -> dict[str, str]:
    """Write `batch` as a bundle folder (format 1); returns each file's sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Sequence[Located[Any]]] = {
        "communities.jsonl": batch.communities,
        "members.jsonl": batch.members,
        "contributions.jsonl": batch.contributions,
    }
    if batch.memberships is not None:
        files["memberships.jsonl"] = batch.memberships
    for name, items in files.items():
        _write_jsonl(folder / name, items)
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in files}


def _same_roster(old: dict[str, str], new: dict[str, str]) -> bool:
    """Same communities and members: the store can follow the new bundle by a pruning import."""
    return all(old.get(name) == new[name] for name in ("communities.jsonl", "members.jsonl"))


def _import(
    sessions: sessionmaker[Session], bundle: Path, old: dict[str, str] | None, new: dict[str, str]
) -> None:
    """Bring the store to `bundle`: nothing when unchanged, else a pruning import."""
    if old == new:
        return
    report = import_bundle(sessions, bundle, prune=True)
    log.info("workspace store: %s", report.tables["contributions"].summary())


def prepare_workspace(
    work_dir: Path, batch: Batch, encoder: TextEncoder, base: Settings, progress: bool = True
) -> Workspace:
    """Import and index `batch` under `work_dir`, reusing what an earlier run built there.

    Args:
        work_dir: the folder of this workspace (created when absent).
        batch: exactly what the service may know.
        encoder: the encoder the index is built with (and queries are embedded with).
        base: settings whose model and encoder options apply; home and database are replaced.
        progress: show tqdm bars while indexing.
    Returns:
        The workspace, its index current.
    """
    settings = base.model_copy(update={"home": work_dir / "home", "database_url": None})
    digests = write_bundle(batch, work_dir / "bundle")
    digest_file = work_dir / DIGEST_FILE
    old = json.loads(digest_file.read_text()) if digest_file.is_file() else None
    if old is None or not _same_roster(old, digests):
        shutil.rmtree(settings.home, ignore_errors=True)
        old = None
    digest_file.unlink(missing_ok=True)
    sessions = open_store(settings)
    _import(sessions, work_dir / "bundle", old, digests)
    digest_file.write_text(json.dumps(digests))
    summary = run_index(settings, encoder=TextCache(encoder, work_dir / TEXT_VECTORS), progress=progress)
    log.info("%s", summary.line())
    return Workspace(settings, sessions, SnapshotHolder(settings.index_dir))


class QueryCache:
    """An encoder whose queries are embedded once, in batches, and kept in `store` between runs.

    Vectors are keyed by the text and the encoder's name, as the index keys its own.
    """

    def __init__(
        self,
        encoder: Encoder,
        texts: Sequence[str],
        store: Path | None = None,
        progress: bool = True,
    ) -> None:
        self.encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim
        known = _load_vectors(store) if store is not None and store.is_file() else {}
        unique = list(dict.fromkeys(texts))
        missing = [t for t in unique if content_hash(t, encoder.name) not in known]
        if missing:
            fresh = encoder.encode(missing, progress=progress)
            known.update((content_hash(t, encoder.name), v) for t, v in zip(missing, fresh, strict=True))
            if store is not None:
                store.parent.mkdir(parents=True, exist_ok=True)
                np.savez(store, hashes=np.array(list(known)), vectors=np.stack(list(known.values())))
        self._vectors = {t: known[content_hash(t, encoder.name)] for t in unique}
        log.info("queries: %d embedded, %d reused", len(missing), len(unique) - len(missing))

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        """The cached vectors of `texts`, one row each."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._vectors[text] for text in texts])

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Cached vectors where there are some; the others from the wrapped encoder."""
        vectors = np.zeros((len(texts), self.dim), np.float32)
        missing = [i for i, text in enumerate(texts) if text not in self._vectors]
        for i, text in enumerate(texts):
            if text in self._vectors:
                vectors[i] = self._vectors[text]
        if missing:
            vectors[missing] = self.encoder.encode([texts[i] for i in missing], progress)
        return vectors

    def encode_query(self, text: str) -> np.ndarray:
        """The cached vector, or the wrapped encoder's for a text not seen before."""
        vector = self._vectors.get(text)
        return vector if vector is not None else self.encoder.encode_query(text)


class TextCache:
    """An encoder that keeps every vector it made in `store`: rolling windows go back and forth in
    time over one workspace, and a text the index dropped at an earlier cutoff is not embedded twice."""

    def __init__(self, encoder: TextEncoder, store: Path) -> None:
        self.encoder, self.store = encoder, store
        self.name, self.dim = encoder.name, encoder.dim

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """The kept vectors of `texts`; the others from the wrapped encoder, then kept too."""
        known = _load_vectors(self.store) if self.store.is_file() else {}
        keys = [content_hash(text, self.name) for text in texts]
        missing = [i for i, key in enumerate(keys) if key not in known]
        if missing:
            fresh = self.encoder.encode([texts[i] for i in missing], progress)
            known.update((keys[i], v) for i, v in zip(missing, fresh, strict=True))
            np.savez(self.store, hashes=np.array(list(known)), vectors=np.stack(list(known.values())))
        if not keys:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([known[key] for key in keys]).astype(np.float32)


def _load_vectors(path: Path) -> dict[str, np.ndarray]:
    """Query vectors saved by an earlier run, by content hash."""
    with np.load(path) as saved:
        return dict(zip(saved["hashes"].tolist(), saved["vectors"], strict=True))
