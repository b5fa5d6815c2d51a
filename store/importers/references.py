"""Reference checks across a batch and the store, and thread resolution along parent links."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from store.importers.records import Batch, BundleError, ContributionRecord, Located, Place, R

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class KnownIds:
    """Ids already in the store that a batch may point at."""

    members: frozenset[str]
    communities: frozenset[str]
    contributions: frozenset[str]


def check_references(batch: Batch, stored: KnownIds) -> None:
    """Raise BundleError at the first line pointing at an id found neither in batch nor store."""
    members = stored.members | _unique(batch.members, lambda r: r.id)
    communities = stored.communities | _unique(batch.communities, lambda r: r.id)
    contributions = stored.contributions | _unique(batch.contributions, lambda r: r.id)
    _unique(batch.memberships or [], lambda r: (r.member_id, r.community_id))
    for community in batch.communities:
        _require(community, "parent_id", community.record.parent_id, communities)
    for member in batch.members:
        _require(member, "manager_id", member.record.manager_id, members)
    for membership in batch.memberships or []:
        _require(membership, "member_id", membership.record.member_id, members)
        _require(membership, "community_id", membership.record.community_id, communities)
    for contribution in batch.contributions:
        _require(contribution, "author_id", contribution.record.author_id, members)
        _require(contribution, "community_id", contribution.record.community_id, communities)
        _require(contribution, "parent_id", contribution.record.parent_id, contributions)
    _unique(batch.links, lambda r: (r.from_id, r.to_id, r.kind))
    for link in batch.links:
        _require(link, "from_id", link.record.from_id, contributions)
        _require(link, "to_id", link.record.to_id, contributions)


def _unique(items: Iterable[Located[R]], key: Callable[[R], K]) -> frozenset[K]:
    """The keys of `items`; raises BundleError on the second line repeating a key."""
    seen: dict[K, Place] = {}
    for item in items:
        value = key(item.record)
        if value in seen:
            first = seen[value]
            at = f"at {first}" if isinstance(first, str) else f"on line {first}"
            raise BundleError(item.file, item.line, f"duplicate {value!r} (first {at})")
        seen[value] = item.line
    return frozenset(seen)


def _require(item: Located[Any], field: str, value: str | None, known: frozenset[str]) -> None:
    """Raise BundleError when an optional reference is set but unknown."""
    if value is not None and value not in known:
        raise BundleError(item.file, item.line, f"unknown {field} {value!r}")


def thread_ids(
    contributions: list[Located[ContributionRecord]], stored_threads: Mapping[str, str]
) -> dict[str, str]:
    """Map each contribution id to its thread: the root reached by following parent_id.

    A parent outside the batch lends its stored thread; a parent chain that loops is rejected.
    """
    by_id = {item.record.id: item for item in contributions}
    threads: dict[str, str] = {}
    for start in by_id:
        chain: list[str] = []
        node = start
        while node not in threads:
            if node in chain:
                item = by_id[start]
                raise BundleError(item.file, item.line, f"parent_id chain of {start!r} loops")
            chain.append(node)
            parent = by_id[node].record.parent_id
            if parent is None:
                threads[node] = node
            elif parent in by_id:
                node = parent
            else:
                threads[node] = stored_threads[parent]
        for member in chain:
            threads[member] = threads[node]
    return threads
