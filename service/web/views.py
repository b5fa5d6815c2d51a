"""What the pages show, read from the current index and the store (no ranking happens here)."""

from dataclasses import dataclass

import numpy as np

from models.evidence import hidden_evidence
from models.explain import day_of
from models.participation import LEVELS
from models.snapshot import KINDS, Snapshot
from service.context import ServiceContext
from service.continuity import member_topics
from store.expertise import EVIDENCE_KINDS

EVIDENCE_SHOWN = 12


class NotShownError(LookupError):
    """The member is unknown or opted out: their page does not exist (the same answer for both)."""


def visible(snapshot: Snapshot, row: int) -> bool:
    """Whether a member may appear on a page someone else sees: listed (not opted out, live)."""
    return bool(snapshot.members.listed[row])


def shown_row(snapshot: Snapshot, member_id: str) -> int:
    """The row of a member others may see; NotShownError otherwise."""
    row = snapshot.members.row_of.get(member_id)
    if row is None or not visible(snapshot, row):
        raise NotShownError(f"no member {member_id!r} to show")
    return row


def contribution_item(snapshot: Snapshot, row: int) -> dict:
    """One contribution as the pages list it."""
    c = snapshot.contributions
    community = int(c.community[row])
    return {
        "id": c.ids[row],
        "kind": KINDS[c.kind[row]],
        "title": c.title[row] or c.snippet[row][:80],
        "accepted": bool(c.accepted[row]),
        "day": day_of(float(c.created[row])),
        "community": snapshot.communities.names[community] if community >= 0 else None,
    }


def evidence(snapshot: Snapshot, row: int, own: bool, limit: int = EVIDENCE_SHOWN) -> list[dict]:
    """The member's answers, solutions, documents and posts, accepted first, then newest; those in
    topics they hide only on their own page (marked), as no evidence is shown next to their name."""
    c = snapshot.contributions
    kinds = [KINDS.index(k) for k in EVIDENCE_KINDS]
    rows = np.flatnonzero((np.asarray(c.author) == row) & np.isin(np.asarray(c.kind), kinds))
    hidden = hidden_evidence(snapshot, rows)
    if not own:
        rows, hidden = rows[~hidden], hidden[~hidden]
    order = np.lexsort((-np.asarray(c.created)[rows], ~np.asarray(c.accepted)[rows]))[:limit]
    shown = zip(rows[order], hidden[order], strict=True)
    return [contribution_item(snapshot, int(r)) | {"hidden": bool(h)} for r, h in shown]


@dataclass
class MemberView:
    """What a member page shows."""

    member_id: str
    name: str
    level: str
    skills: list[str]
    topics: list[dict]
    communities: list[dict]
    evidence: list[dict]
    timezone: str | None
    mentor_capacity: int
    places_left: int


def member_view(context: ServiceContext, snapshot: Snapshot, row: int, own: bool = False) -> MemberView:
    """A member's topics with evidence, levels per community and mentoring places."""
    members, communities = snapshot.members, snapshot.communities
    member_id = members.ids[row]
    levels = sorted(members.community_level[row].items(), key=lambda item: -item[1])
    return MemberView(
        member_id=member_id,
        name=members.names[row],
        level=LEVELS[members.level[row]],
        skills=members.skills[row],
        topics=member_topics(snapshot, row),
        communities=[
            {"id": communities.ids[c], "name": communities.names[c], "level": LEVELS[lv]} for c, lv in levels
        ],
        evidence=evidence(snapshot, row, own),
        timezone=members.timezone[row],
        mentor_capacity=members.mentor_capacity[row],
        places_left=context.mentoring.places_left(member_id),
    )


def core_members(snapshot: Snapshot, community: int) -> list[dict]:
    """The community's core members who may be shown."""
    members = snapshot.members
    core = LEVELS.index("core")
    return [
        {"id": members.ids[row], "name": members.names[row]}
        for row, levels in enumerate(members.community_level)
        if levels.get(community) == core and visible(snapshot, row)
    ]
