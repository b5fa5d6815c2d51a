"""The ids a request names, as snapshot rows, and the errors of requests that cannot be answered."""

from models.snapshot import Snapshot


class UnknownIdError(LookupError):
    """A request named a member or community that the index does not know."""


class MatchRequestError(ValueError):
    """A matching request that cannot be answered as asked (the message says why)."""


def member_row(snapshot: Snapshot, member_id: str) -> int:
    """The row of a member who asks (a hidden member may ask; they are never suggested)."""
    if member_id not in snapshot.members.row_of:
        raise UnknownIdError(f"unknown member_id {member_id!r}")
    return snapshot.members.row_of[member_id]


def community_row(snapshot: Snapshot, community_id: str) -> int:
    """The row of a community; UnknownIdError when it is not indexed."""
    if community_id not in snapshot.communities.row_of:
        raise UnknownIdError(f"unknown community_id {community_id!r}")
    return snapshot.communities.row_of[community_id]
