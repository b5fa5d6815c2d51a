"""GET /community: participation levels, related communities with their bridges, open questions."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from models.snapshot import Snapshot
from service.web.identity import MemberDep
from service.web.templating import render
from service.web.views import participation, unanswered

router = APIRouter(include_in_schema=False)
RELATED = 4
ANSWERERS = 3


def home_community(snapshot: Snapshot, member_id: str) -> int:
    """The member's most active community, else the first one."""
    row = snapshot.members.row_of.get(member_id)
    levels = snapshot.members.community_level[row] if row is not None else {}
    return max(levels, key=lambda c: (levels[c], -c)) if levels else 0


@router.get("/community")
def community(request: Request, member_id: MemberDep, id: str = "") -> Response:
    """One community's health: how many core / active / peripheral / newcomer members and who is core,
    related communities with bridging people, recent unanswered questions with who could answer."""
    context = request.app.state.context
    snapshot = context.holder.get()
    communities = snapshot.communities
    choices = sorted(zip(communities.names, communities.ids, strict=True))
    if not len(communities):
        return render(request, "community.html", choices=[], current=None)
    row = communities.row_of.get(id) if id else home_community(snapshot, member_id)
    if row is None:
        return render(request, "missing.html", 404, what="community", name=id[:200])
    questions = unanswered(snapshot, row)
    recommender = context.recommender
    for question in questions:
        found = recommender.experts(question["title"], ANSWERERS, communities.ids[row], [member_id])
        question["answerers"] = found.items
    related = context.related.find(RELATED, community_id=communities.ids[row]).items
    return render(
        request,
        "community.html",
        choices=choices,
        current={
            "id": communities.ids[row],
            "name": communities.names[row],
            "description": communities.descriptions[row],
        },
        levels=participation(snapshot, row),
        related=related,
        questions=questions,
    )
