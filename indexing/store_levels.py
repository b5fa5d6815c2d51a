"""The participation levels of the store as it is now, by the rule and from the same rows an index
build uses (models.participation), for reports such as `copmatch stats`."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from indexing.build import community_rows, joined_rows
from indexing.source import read_communities, read_memberships, unix_seconds
from models.participation import LEVELS, Contributions, Levels, participation
from models.snapshot import KINDS, CommunityRows
from store.tables import Contribution, Member


@dataclass
class StoreLevels:
    """The store's communities and members with their levels."""

    communities: CommunityRows
    member_ids: list[str]
    levels: Levels

    def members_by_level(self, community: int) -> dict[str, int]:
        """How many members of a community row hold each level there (joined or took part)."""
        codes = [mine[community] for mine in self.levels.per_community if community in mine]
        return {level: codes.count(code) for code, level in enumerate(LEVELS)}


def store_levels(session: Session) -> StoreLevels:
    """Read communities, members, memberships and contributions, and apply the participation rule."""
    communities = community_rows(read_communities(session))
    member_ids = list(session.scalars(select(Member.id).order_by(Member.id)))
    member_row = {m: row for row, m in enumerate(member_ids)}
    joined = joined_rows(member_ids, read_memberships(session), communities.row_of)
    rows = session.execute(
        select(Contribution.author_id, Contribution.community_id, Contribution.kind, Contribution.created_at)
    ).all()
    activity = Contributions(
        author=np.array([member_row[r.author_id] for r in rows], dtype=np.int64),
        community=np.array([communities.row_of.get(r.community_id, -1) for r in rows], dtype=np.int64),
        kind=np.array([KINDS.index(r.kind) for r in rows], dtype=np.int64),
        created=np.array([unix_seconds(r.created_at) for r in rows], dtype=np.float64),
    )
    return StoreLevels(
        communities, member_ids, participation(activity, member_ids, communities.parent, joined)
    )
