"""Versioned index directories: manifest, checksums, lock, atomic switch, retention, rollback.

Layout under the index directory::

    .lock            flock'ed by the one indexing run allowed at a time
    .build-XXXX/     a build being written (removed by the next run if the writer died)
    v000007/         a complete, verified version with manifest.json
    CURRENT          the name of the version the query service serves

A version directory only ever appears by renaming a verified build, and CURRENT only ever
changes by `os.replace`, so readers see either the old or the new version, never a partial one.
A file of a build that is byte for byte the previous version's file of the same name becomes a hard
link to it (`link_unchanged`): stored once, and neither flushed nor checksummed again (its checksum
is the one the previous, verified manifest lists). Versions are never changed once published, so
sharing their files is safe, and pruning a version leaves the files its successors share.
"""

import errno
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
LOCK = ".lock"
STAGING_PREFIX = ".build-"
_VERSION = re.compile(r"v(\d{6})")


class IndexLockedError(RuntimeError):
    """Another indexing run holds the index directory's lock."""


class IndexVersionError(RuntimeError):
    """A version is missing, incomplete or fails verification, or no version can be switched to."""


def version_name(version: int) -> str:
    """Directory name of a version: v000007."""
    return f"v{version:06d}"


def list_versions(index_dir: Path) -> list[int]:
    """Version numbers present under `index_dir`, oldest first."""
    if not index_dir.is_dir():
        return []
    found = (_VERSION.fullmatch(p.name) for p in index_dir.iterdir() if p.is_dir())
    return sorted(int(m.group(1)) for m in found if m)


def current_version(index_dir: Path) -> int | None:
    """The version CURRENT names, or None when there is none (or it names no directory)."""
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    match = _VERSION.fullmatch(name)
    if not match or not (index_dir / name).is_dir():
        log.warning("%s names %r, which is no version directory", index_dir / CURRENT, name)
        return None
    return int(match.group(1))


def current_dir(index_dir: Path) -> Path | None:
    """Directory of the version the query service should serve, or None before the first build."""
    version = current_version(index_dir)
    return None if version is None else index_dir / version_name(version)


def published_dir(index_dir: Path) -> Path:
    """Directory of the current version; IndexVersionError before the first build."""
    directory = current_dir(index_dir)
    if directory is None:
        raise IndexVersionError(f"no index version under {index_dir}")
    return directory


def read_manifest(directory: Path) -> dict:
    """The manifest.json of a version directory."""
    return json.loads((directory / MANIFEST).read_text())


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock on `index_dir/.lock`; raise IndexLockedError at once if it is taken.

    flock is released by the kernel when the holder dies, so a killed run never blocks the next.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise IndexLockedError(f"another indexing run holds {path} (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def index_lock_held(index_dir: Path) -> bool:
    """Whether a live indexing run holds the lock now; a dead run's is released by the kernel.

    Only probed (with a shared lock, for a moment) when the pid the last holder wrote is alive,
    so polling this never makes a starting run find the lock taken while none is running.
    """
    path = index_dir / LOCK
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if not holder.isdigit() or not _alive(int(holder)):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                return True
            raise
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    """Whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(index_dir: Path) -> list[Path]:
    """Remove what a dead run left behind (build directories, CURRENT.tmp); call under the lock."""
    leftovers = [p for p in index_dir.glob(STAGING_PREFIX + "*")]
    leftovers += [p for p in [index_dir / f"{CURRENT}.tmp"] if p.exists()]
    for path in leftovers:
        log.warning("removing leftover of an interrupted indexing run: %s", path)
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return leftovers


def new_staging_dir(index_dir: Path) -> Path:
    """A fresh, empty directory to write a build into."""
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=index_dir))


def _sha256(path: Path) -> str:
    """sha256 of a file's bytes."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(directory: Path) -> list[Path]:
    """Every file of a build except its manifest."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.name != MANIFEST)


def _checksums(directory: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """sha256 of every file in `directory` except the manifest; those named in `known` are taken
    from it instead of read."""
    known = known or {}
    return {p.name: known[p.name] if p.name in known else _sha256(p) for p in _files(directory)}


def _fsync(path: Path) -> None:
    """Flush a file's data, or a directory's entries (making renames in it durable), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def link_unchanged(staging: Path, previous: Path) -> dict[str, str]:
    """Make each file of `staging` whose bytes are those of the `previous` version's file of the same
    name a hard link to that file; returns their checksums, as the previous manifest lists them."""
    listed = read_manifest(previous).get("files", {})
    linked = {}
    for path in _files(staging):
        old = previous / path.name
        if path.name not in listed or not old.is_file() or old.stat().st_size != path.stat().st_size:
            continue
        if old.read_bytes() != path.read_bytes():
            continue
        temporary = path.with_name(path.name + ".link")
        try:
            os.link(old, temporary)
        except OSError as error:  # a file system without hard links: keep the copy
            log.debug("cannot link %s: %s", old, error)
            continue
        os.replace(temporary, path)
        linked[path.name] = listed[path.name]
    return linked


def write_manifest(directory: Path, manifest: dict, linked: dict[str, str] | None = None) -> dict:
    """Flush every file, then write manifest.json listing their checksums; returns the manifest.
    Files in `linked` (name -> checksum, see `link_unchanged`) are already durable and hashed."""
    linked = linked or {}
    for path in _files(directory):
        if path.name not in linked:
            _fsync(path)
    manifest = {**manifest, "files": _checksums(directory, linked)}
    path = directory / MANIFEST
    with path.open("w") as handle:
        json.dump(manifest, handle, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    return manifest


def verify(directory: Path, linked: dict[str, str] | None = None) -> dict:
    """Check checksums and counts of a written build and that it loads; returns its manifest.
    Files in `linked` are links to a verified version's files: their checksums are not read again.

    Raises:
        IndexVersionError: a file is missing, altered or unlisted, or a count disagrees.
    """
    from models.snapshot import Snapshot  # heavy (faiss): only a build verifies

    manifest = read_manifest(directory)
    actual = _checksums(directory, linked)
    if actual != manifest["files"]:
        bad = sorted(set(actual.items()) ^ set(manifest["files"].items()))
        raise IndexVersionError(f"{directory}: files differ from the manifest: {bad[:5]}")
    snapshot = Snapshot.load(directory)
    counts = manifest["counts"]
    found = {
        "contributions": len(snapshot.contributions),
        "vectors": snapshot.contribution_index.ntotal,
        "lexical_rows": snapshot.lexical.documents,
        "members": len(snapshot.members),
        "profile_vectors": snapshot.profile_vectors.shape[0],
        "topic_vectors": snapshot.topic_vectors.shape[0],
        "communities": len(snapshot.communities),
        "community_vectors": snapshot.community_vectors.shape[0],
    }
    expected = {
        "contributions": counts["contributions"],
        "vectors": counts["contributions"],
        "lexical_rows": counts["contributions"],
        "members": counts["members"],
        "profile_vectors": counts["members"],
        "topic_vectors": counts["members"],
        "communities": counts["communities"],
        "community_vectors": counts["communities"],
    }
    if found != expected or snapshot.version != manifest["version"]:
        raise IndexVersionError(
            f"{directory}: snapshot v{snapshot.version} {found} does not match "
            f"manifest v{manifest['version']} {expected}"
        )
    return manifest


def switch_current(index_dir: Path, version: int) -> None:
    """Atomically make `version` the one served: write CURRENT.tmp, fsync, rename over CURRENT."""
    name = version_name(version)
    if not (index_dir / name / MANIFEST).is_file():
        raise IndexVersionError(f"cannot make {index_dir / name} current: no complete version there")
    tmp = index_dir / f"{CURRENT}.tmp"
    with tmp.open("w") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync(index_dir)


def publish(index_dir: Path, staging: Path, version: int, linked: dict[str, str] | None = None) -> Path:
    """Verify a build (but its `linked` files), rename it to its version directory and make it
    current; returns the dir."""
    verify(staging, linked)
    target = index_dir / version_name(version)
    if target.exists():
        raise IndexVersionError(f"cannot publish {staging}: {target} already exists")
    os.rename(staging, target)
    _fsync(index_dir)
    switch_current(index_dir, version)
    return target


def next_version(index_dir: Path) -> int:
    """The number the next published version takes."""
    return max(list_versions(index_dir), default=0) + 1


def write_version(
    index_dir: Path, save: Callable[[Path], None], manifest: dict, previous: Path | None = None
) -> Path:
    """Let `save` write a version's files into a new staging directory, link those unchanged since
    the `previous` version, add the manifest, then verify and publish it as version
    manifest["version"]; a failure leaves no trace. Call it under `index_lock`."""
    staging = new_staging_dir(index_dir)
    try:
        save(staging)
        linked = link_unchanged(staging, previous) if previous is not None else {}
        write_manifest(staging, manifest, linked)
        return publish(index_dir, staging, manifest["version"], linked)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def prune(index_dir: Path, keep: int, publishing: bool = False) -> list[int]:
    """Delete all but the `keep` newest versions, never CURRENT or its predecessor (returned).

    `publishing`: make room first for the version about to be published, keeping `keep - 1` and
    CURRENT (its predecessor-to-be), so a run killed right after publishing leaves no more than
    `keep` versions (2 when keep is 1: the new one and the one it replaced).
    """
    versions = list_versions(index_dir)
    newest = keep - 1 if publishing else keep
    protected = set(versions[-newest:]) if newest > 0 else set()
    current = current_version(index_dir)
    if current is not None:
        protected.add(current)
        if not publishing:
            protected |= set([v for v in versions if v < current][-1:])
    doomed = [v for v in versions if v not in protected]
    for version in doomed:
        log.info("removing old index version %s", version_name(version))
        shutil.rmtree(index_dir / version_name(version))
    return doomed


def rollback(index_dir: Path) -> int:
    """Make the version before the current one current again; returns its number.

    Raises:
        IndexVersionError: there is no current version, or no older version to return to.
        IndexLockedError: an indexing run is in progress.
    """
    with index_lock(index_dir):
        current = current_version(index_dir)
        if current is None:
            raise IndexVersionError(f"cannot roll back: {index_dir} has no current version")
        older = [v for v in list_versions(index_dir) if v < current]
        if not older:
            raise IndexVersionError(
                f"cannot roll back: no version older than {version_name(current)} in {index_dir}"
            )
        switch_current(index_dir, older[-1])
        log.info("rolled back from %s to %s", version_name(current), version_name(older[-1]))
        return older[-1]
