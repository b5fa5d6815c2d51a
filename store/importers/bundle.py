"""Import an organization bundle (folder of JSON Lines files; spec: bundle-format.md)."""

import gzip
import json
import logging
from io import BufferedIOBase
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from store.importers.limits import numbered_lines
from store.importers.records import (
    Batch,
    BundleError,
    CommunityRecord,
    ContributionRecord,
    Located,
    MemberRecord,
    MembershipRecord,
    R,
    parse_record,
)
from store.importers.report import ImportReport
from store.importers.upsert import store_batch

log = logging.getLogger(__name__)


def import_bundle(sessions: sessionmaker[Session], path: Path, prune: bool = False) -> ImportReport:
    """Validate every line of the bundle at `path`, then store it in one transaction.

    Args:
        sessions: the store's session factory.
        path: the bundle folder.
        prune: delete contributions of the bundle's communities that the bundle lacks.
    Returns:
        Rows added, updated, unchanged and removed per table.
    Raises BundleError naming file and line; nothing is stored then.
    """
    batch = read_bundle(path)
    log.info(
        "bundle %s: %d communities, %d members, %d contributions",
        path,
        len(batch.communities),
        len(batch.members),
        len(batch.contributions),
    )
    return store_batch(sessions, batch, prune)


def read_bundle(path: Path) -> Batch:
    """Parse and validate every record of a bundle folder (references are checked on store)."""
    if not path.is_dir():
        raise BundleError(str(path), None, "not a bundle folder")
    memberships = _find_optional(path, "memberships")
    return Batch(
        communities=_read(_find(path, "communities"), CommunityRecord),
        members=_read(_find(path, "members"), MemberRecord),
        memberships=_read(memberships, MembershipRecord) if memberships else None,
        contributions=_read(_find(path, "contributions"), ContributionRecord),
    )


def _find(folder: Path, name: str) -> Path:
    """`NAME.jsonl` or `NAME.jsonl.gz` in the folder, which must hold one of them."""
    found = _find_optional(folder, name)
    if found is None:
        raise BundleError(f"{name}.jsonl", None, f"missing from {folder}")
    return found


def _find_optional(folder: Path, name: str) -> Path | None:
    """`NAME.jsonl` or `NAME.jsonl.gz` in the folder, if any; both at once is ambiguous."""
    found = [p for p in (folder / f"{name}.jsonl", folder / f"{name}.jsonl.gz") if p.is_file()]
    if len(found) > 1:
        raise BundleError(found[1].name, None, f"both {found[0].name} and {found[1].name} exist")
    return found[0] if found else None


def _read(path: Path, model: type[R]) -> list[Located[R]]:
    """Every non-blank line of a JSON Lines file, validated as `model`."""
    records = []
    with _open(path) as stream:
        for number, text in tqdm(
            numbered_lines(stream, path.name), desc=path.name, unit=" lines", disable=None, leave=False
        ):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise BundleError(path.name, number, f"invalid JSON: {error.msg}") from error
            records.append(parse_record(model, data, path.name, number))
    return records


def _open(path: Path) -> BufferedIOBase:
    """Open a plain or gzip-compressed file for reading bytes (decoded line by line)."""
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")
