"""Read-only store queries for reports."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.tables import Community, Contribution, Membership


@dataclass
class CommunityActivity:
    """Who belongs to one community and what was contributed directly in it (no roll-up)."""

    community_id: str
    name: str
    members: set[str] = field(default_factory=set)
    contributions: list[tuple[str, str, datetime]] = field(default_factory=list)
    accepted: int = 0

    def count(self, kind: str) -> int:
        """How many contributions of `kind` the community holds."""
        return sum(1 for _, k, _ in self.contributions if k == kind)


def participation_stats(session: Session) -> list[CommunityActivity]:
    """Per community, ordered by id: members (memberships and contributors) and contributions
    as (author id, kind, created_at), with the count of accepted ones."""
    communities = {
        cid: CommunityActivity(cid, name)
        for cid, name in session.execute(select(Community.id, Community.name).order_by(Community.id))
    }
    for member_id, community_id in session.execute(select(Membership.member_id, Membership.community_id)):
        communities[community_id].members.add(member_id)
    rows = session.execute(
        select(
            Contribution.community_id,
            Contribution.author_id,
            Contribution.kind,
            Contribution.created_at,
            Contribution.accepted,
        ).where(Contribution.community_id.is_not(None))
    )
    for community_id, author_id, kind, created_at, accepted in rows:
        activity = communities[community_id]
        activity.members.add(author_id)
        activity.contributions.append((author_id, kind, created_at))
        activity.accepted += bool(accepted)
    return list(communities.values())
