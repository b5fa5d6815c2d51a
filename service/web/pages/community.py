"""GET /community: a community's health (the report of GET /v1/communities/{id}/health) as charts,
its core members, related communities with their bridging people, and who could answer its open questions."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.snapshot import Snapshot
from service.continuity import health_report
from service.web.identity import MemberDep
from service.web.templating import render
from service.web.views import core_members

router = APIRouter(include_in_schema=False)
RELATED = 4
ANSWERERS = 3
OPEN_SHOWN = 5
CHART_LEVELS = ("core", "active", "peripheral", "newcomer")


def home_community(snapshot: Snapshot, member_id: str) -> int:
    """The member's most active community, else the first one."""
    row = snapshot.members.row_of.get(member_id)
    levels = snapshot.members.community_level[row] if row is not None else {}
    return max(levels, key=lambda c: (levels[c], -c)) if levels else 0


@router.get("/community")
def community(request: Request, member_id: MemberDep, id: str = "") -> Response:
    """One community's health: participation now and per quarter, newcomer progression, topics at
    risk with who could grow into them, related communities, open questions with who could answer."""
    context = request.app.state.context
    snapshot = context.holder.get()
    communities = snapshot.communities
    choices = sorted(zip(communities.names, communities.ids, strict=True))
    if not len(communities):
        return render(request, "community.html", choices=[], current=None)
    row = communities.row_of.get(id) if id else home_community(snapshot, member_id)
    if row is None:
        return render(request, "missing.html", 404, what="community", name=id[:200])
    health = health_report(snapshot, row)
    questions = health["unanswered"]["questions"][:OPEN_SHOWN]
    for question in questions:
        found = context.recommender.experts(question["title"], ANSWERERS, communities.ids[row], [member_id])
        question["answerers"] = found.items
    widest = max([sum(q[level] for level in CHART_LEVELS) for q in health["quarters"]] + [1])
    return render(
        request,
        "community.html",
        choices=choices,
        current={
            "id": communities.ids[row],
            "name": communities.names[row],
            "description": communities.descriptions[row],
        },
        health=health,
        levels=CHART_LEVELS,
        widest_quarter=widest,
        core=core_members(snapshot, row),
        related=context.related.find(RELATED, community_id=communities.ids[row]).items,
        questions=questions,
    )
