"""GET /v1/members/{id} and POST /v1/feedback."""

from fastapi import APIRouter, HTTPException

from models.snapshot import LEVELS
from service.auth import ReaderDep
from service.context import ContextDep
from service.schemas import FeedbackIn, FeedbackOut, MemberOut
from store.expertise import member_topics
from store.feedback import add_feedback

router = APIRouter(prefix="/v1", tags=["members"])


@router.get("/members/{member_id}", response_model=MemberOut)
def member(member_id: str, context: ContextDep, _: ReaderDep) -> dict:
    """A member's expertise topics with evidence counts, and their level in each community."""
    snapshot = context.holder.get()
    row = snapshot.members.row_of.get(member_id)
    if row is None or not snapshot.members.discoverable[row]:
        raise HTTPException(404, f"unknown member_id {member_id!r}")
    communities = snapshot.communities
    levels = snapshot.members.community_level[row]
    return {
        "member_id": member_id,
        "name": snapshot.members.names[row],
        "level": LEVELS[snapshot.members.level[row]],
        "skills": snapshot.members.skills[row],
        "topics": member_topics(context.sessions, member_id) or [],
        "communities": [
            {"community_id": communities.ids[c], "name": communities.names[c], "level": LEVELS[lv]}
            for c, lv in sorted(levels.items(), key=lambda item: -item[1])
        ],
    }


@router.post("/feedback", response_model=FeedbackOut, status_code=201)
def feedback(body: FeedbackIn, context: ContextDep, caller: ReaderDep) -> dict:
    """Record whether a recommendation helped (helpful / not_helpful / no_response)."""
    feedback_id = add_feedback(
        context.sessions,
        recommendation=body.recommendation,
        item_id=body.item_id,
        verdict=body.verdict,
        query=body.query,
        index_version=body.index_version,
        api_key_name=caller.name,
    )
    return {"id": feedback_id}
