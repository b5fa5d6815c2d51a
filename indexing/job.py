"""The indexing job: under the lock, build a new version if the store changed, and publish it.

Finding the store unchanged imports nothing heavy: the builder (numpy, scikit-learn, FAISS) and the
encoder (torch) are imported only once a build is due.
"""

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from indexing.source import source_state
from indexing.versions import (
    IndexVersionError,
    clean_leftovers,
    current_dir,
    index_lock,
    index_lock_held,
    next_version,
    prune,
    read_manifest,
    write_version,
)
from models.snapshot_format import FORMAT
from store.db import open_store, transaction
from store.settings import Settings
from store.tables import IndexBuild

if TYPE_CHECKING:
    from indexing.build import Build, Previous
    from indexing.embeddings import TextEncoder
    from models.encoder import Encoder
    from models.snapshot import Snapshot

log = logging.getLogger(__name__)


@dataclass
class BuildSummary:
    """What one run did; `built` is False when the store had not changed since the last build."""

    version: int
    embedded: int
    reused: int
    removed: int
    seconds: float
    texts_per_second: float
    built: bool = True

    def line(self) -> str:
        """The one-line report the CLI prints."""
        if not self.built:
            return f"index v{self.version}: up to date, the store has not changed since"
        return (
            f"index v{self.version}: embedded {self.embedded}, reused {self.reused}, "
            f"removed {self.removed} in {self.seconds:.1f} s ({self.texts_per_second:.1f} texts/s)"
        )

    __str__ = line


def encoder_options(settings: Settings, threads: int) -> dict:
    """The Encoder arguments the settings describe (model, path, batch size, token limit, ONNX
    export cache)."""
    return {
        "model": settings.model,
        "path": settings.encoder_path,
        "batch_size": settings.encoder_batch_size,
        "max_tokens": settings.encoder_max_tokens,
        "threads": threads,
        "cache_dir": settings.home / "encoders",
    }


def make_encoder(settings: Settings) -> "Encoder":
    """The in-process encoder the settings describe (loading takes seconds: only when needed)."""
    from models.encoder import Encoder

    return Encoder(**encoder_options(settings, settings.torch_threads))


def index_processes(settings: Settings) -> int:
    """How many worker processes the local executor embeds in: the setting, else (0) the layout
    measured fastest for the path in force (docs/benchmarks.md): one per core for onnx-int8, whose
    thread pool wastes most of a second core, and the indexing process alone for the torch paths
    (bf16 ran faster on two threads in one process than in two processes of one)."""
    if settings.index_processes:
        return settings.index_processes
    from models.encoder import bf16_flags  # not resolve_path: that asks torch, which a build may not need

    path = settings.encoder_path
    onnx = path == "onnx-int8" or (path == "auto" and not bf16_flags())
    return len(os.sched_getaffinity(0)) if onnx else 1


def make_index_encoder(settings: Settings) -> "TextEncoder":
    """What the indexing job embeds with: the Ray executor's actor pool, worker processes of one
    encoder thread each, or (one process) the in-process encoder."""
    if settings.index_executor == "ray":
        from indexing.ray_encoder import RayEncoder

        return RayEncoder(settings)
    processes = index_processes(settings)
    if processes == 1:
        return make_encoder(settings)
    from indexing.process_encoder import ProcessEncoder

    # made first, so an ONNX export exists before the workers load; one thread like them, so a
    # text's vector is the same wherever it ran (bf16 sums differ with the thread count)
    local = make_encoder(settings.model_copy(update={"torch_threads": 1}))
    return ProcessEncoder(local, encoder_options(settings, threads=1), processes)


def _up_to_date(manifest: dict, state: dict, settings: Settings) -> bool:
    """Same store state, model and feedback setting as the version's manifest records."""
    return (
        manifest.get("source") == state
        and manifest.get("format") == FORMAT
        and manifest.get("model") == settings.model
        and manifest.get("encoder_path") == settings.encoder_path
        and manifest.get("encoder_max_tokens") == settings.encoder_max_tokens
        and manifest.get("feedback_training") == settings.feedback_training
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _record_start(sessions: sessionmaker[Session]) -> int:
    """Insert the IndexBuild row of this run (status running); returns its id."""
    with transaction(sessions) as session:
        session.execute(
            update(IndexBuild)
            .where(IndexBuild.status == "running")
            .values(status="failed", error="interrupted: the run ended without recording an outcome")
        )
        row = IndexBuild(status="running", started_at=_now())
        session.add(row)
        session.flush()
        return row.id


def _record_end(sessions: sessionmaker[Session], build_id: int, **values: object) -> None:
    """Close this run's IndexBuild row with its outcome."""
    with transaction(sessions) as session:
        session.execute(
            update(IndexBuild).where(IndexBuild.id == build_id).values(finished_at=_now(), **values)
        )


def last_build(sessions: sessionmaker[Session], index_dir: Path) -> dict | None:
    """The latest run's record; a "running" one whose process is gone (no one holds the index
    lock) is reported as "interrupted", not running."""
    with sessions() as session:
        row = session.scalars(select(IndexBuild).order_by(IndexBuild.id.desc()).limit(1)).first()
    if row is None:
        return None
    status = "interrupted" if row.status == "running" and not index_lock_held(index_dir) else row.status
    return {
        "status": status,
        "version": row.version,
        "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "error": row.error or None,
    }


def _previous(directory: Path | None, full: bool) -> "Previous | None":
    """The current version's reusable vectors, unless this is a full build or there is none."""
    if full or directory is None:
        return None
    from indexing.build import Previous

    try:
        return Previous.load(directory)
    except (OSError, ValueError, KeyError) as error:
        raise IndexVersionError(
            f"cannot reuse the vectors of {directory} ({error}); run `copmatch index --full`"
        ) from error


def snapshot_manifest(
    snapshot: "Snapshot", settings: Settings, encoder: "TextEncoder", source: dict, full: bool
) -> dict:
    """What a version's manifest says of its snapshot (the service and `copmatch` read these)."""
    return {
        "version": snapshot.version,
        "format": FORMAT,
        "created_at": _now().isoformat(),
        "model": settings.model,
        "encoder_path": settings.encoder_path,
        "encoder_max_tokens": settings.encoder_max_tokens,
        "encoder": encoder.name,
        "dim": encoder.dim,
        "counts": {
            "contributions": len(snapshot.contributions),
            "members": len(snapshot.members),
            "communities": len(snapshot.communities),
        },
        "source": source,
        "reference_time": snapshot.reference_time,
        "index": snapshot.contribution_index.describe(),
        "ranker": snapshot.ranker.to_json(),
        "feedback_training": settings.feedback_training,
        "full": full,
    }


def _manifest(
    build: "Build", settings: Settings, encoder: "TextEncoder", state: dict, full: bool, seconds: float
) -> dict:
    """The manifest of a version, before checksums are added: the snapshot plus this build's work."""
    return snapshot_manifest(build.snapshot, settings, encoder, state, full) | {
        "embedded": build.counts.embedded,
        "reused": build.counts.reused,
        "removed": build.removed,
        "fits_reused": build.fits_reused,
        "changed_since_refit": build.changed_since_refit,
        "feedback_cases": build.feedback_cases,
        "embed_seconds": round(build.embed_seconds, 3),
        "build_seconds": round(seconds, 3),
    }


def _build(
    settings: Settings,
    sessions: sessionmaker[Session],
    state: dict,
    full: bool,
    encoder: "TextEncoder | None",
    progress: bool,
    started: float,
) -> BuildSummary:
    """Build, write and publish the next version; returns its summary."""
    from indexing.build import build_snapshot

    index_dir = settings.index_dir
    previous = _previous(current_dir(index_dir), full)
    encoder = encoder or make_index_encoder(settings)
    version = next_version(index_dir)
    with sessions() as session:
        build = build_snapshot(
            session,
            encoder,
            version,
            previous,
            settings.exact_search_max,
            progress,
            feedback=settings.feedback_training,
            refit_share=settings.refit_share,
        )
    manifest = _manifest(build, settings, encoder, state, full, time.perf_counter() - started)
    prune(index_dir, settings.keep_versions, publishing=True)
    log.info("writing index v%d", version)
    write_version(index_dir, build.save, manifest, previous=None if full else current_dir(index_dir))
    prune(index_dir, settings.keep_versions)
    seconds = time.perf_counter() - started
    embedded = build.counts.embedded
    return BuildSummary(version, embedded, build.counts.reused, build.removed, seconds, embedded / seconds)


def run_index(
    settings: Settings,
    full: bool = False,
    encoder: "TextEncoder | None" = None,
    progress: bool = True,
) -> BuildSummary:
    """Bring the index up to date with the store: at most one new, verified, current version.

    Args:
        settings: where the store and index directory are, which model, retention.
        full: re-embed every text instead of reusing the current version's vectors.
        encoder: the encoder to use; by default one is made from the settings when needed.
        progress: show tqdm progress bars.
    Returns:
        What was done; `built` False when the store had not changed (and not `full`).
    Raises:
        IndexLockedError: another run holds the index directory's lock.
    """
    started = time.perf_counter()
    with index_lock(settings.index_dir):
        clean_leftovers(settings.index_dir)
        sessions = open_store(settings)
        with sessions() as session:
            state = source_state(session)
        current = current_dir(settings.index_dir)
        if not full and current is not None:
            manifest = read_manifest(current)
            if _up_to_date(manifest, state, settings):
                log.info("store unchanged since index v%s; nothing to do", manifest["version"])
                return BuildSummary(
                    manifest["version"], 0, 0, 0, time.perf_counter() - started, 0.0, built=False
                )
        build_id = _record_start(sessions)
        try:
            summary = _build(settings, sessions, state, full, encoder, progress, started)
        except BaseException as error:
            _record_end(
                sessions,
                build_id,
                status="failed",
                error=f"{type(error).__name__}: {error}",
                seconds=time.perf_counter() - started,
            )
            raise
        _record_end(
            sessions,
            build_id,
            status="done",
            version=summary.version,
            embedded=summary.embedded,
            reused=summary.reused,
            removed=summary.removed,
            seconds=summary.seconds,
        )
        log.info("%s", summary.line())
        return summary
