"""GET /v1/members/{id}, PATCH /v1/members/{id}/preferences and POST /v1/feedback."""

from typing import Annotated

from fastapi import APIRouter, FastAPI, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from models.participation import LEVELS
from service.auth import ForbiddenError, ReaderDep
from service.context import ContextDep
from service.continuity import member_topics
from service.errors import error_response, error_responses
from service.schemas import FeedbackIn, FeedbackOut, MemberOut
from service.schemas_preferences import PreferencesIn, PreferencesOut, preferences_out
from store.feedback import UnknownItemError, add_feedback
from store.preferences import PreferenceError, UnknownMemberError

router = APIRouter(prefix="/v1", tags=["members"])
MemberId = Annotated[str, Path(max_length=200, description="a member's id")]


@router.get("/members/{member_id}", response_model=MemberOut, responses=error_responses(401, 404, 422, 503))
def member(member_id: MemberId, context: ContextDep, caller: ReaderDep) -> dict:
    """A member's topics (as the index names them) with evidence counts and their level in each community;
    404 for one who opted out, except to themself and admins, who also get the member's preferences."""
    snapshot = context.holder.get()
    row = snapshot.members.row_of.get(member_id)
    if row is None or not (snapshot.members.listed[row] or caller.acts_for(member_id)):
        raise HTTPException(404, f"unknown member_id {member_id!r}")
    communities = snapshot.communities
    levels = snapshot.members.community_level[row]
    own = caller.acts_for(member_id)
    return {
        "member_id": member_id,
        "name": snapshot.members.names[row],
        "level": LEVELS[snapshot.members.level[row]],
        "skills": snapshot.members.skills[row],
        "topics": member_topics(snapshot, row),
        "communities": [
            {"community_id": communities.ids[c], "name": communities.names[c], "level": LEVELS[lv]}
            for c, lv in sorted(levels.items(), key=lambda item: -item[1])
        ],
        "preferences": preferences_out(context.preferences.get(caller, member_id)) if own else None,
    }


@router.patch(
    "/members/{member_id}/preferences",
    response_model=PreferencesOut,
    responses=error_responses(400, 401, 403, 404, 422, 503),
)
def update_preferences(
    member_id: MemberId, body: PreferencesIn, context: ContextDep, caller: ReaderDep
) -> dict:
    """Change your own preferences (or, as an admin, anyone's): opt out or back in, away until a date,
    hidden topics, mentor capacity. Every route of every service process applies them within a second."""
    changes = body.model_dump(exclude_unset=True)
    return preferences_out(context.preferences.update(caller, member_id, changes))


@router.post(
    "/feedback", response_model=FeedbackOut, status_code=201, responses=error_responses(400, 401, 404, 422)
)
def feedback(body: FeedbackIn, context: ContextDep, caller: ReaderDep) -> dict:
    """Record whether a recommendation helped (helpful / not_helpful / no_response); 404 when the
    item (a member, contribution or community, by the recommendation) is not in the store."""
    try:
        feedback_id = add_feedback(
            context.sessions,
            recommendation=body.recommendation,
            item_id=body.item_id,
            verdict=body.verdict,
            query=body.query,
            index_version=body.index_version,
            api_key_name=caller.name,
        )
    except UnknownItemError as error:
        raise HTTPException(404, str(error)) from error
    return {"id": feedback_id}


def install_error_handlers(app: FastAPI) -> None:
    """Map the identity and preference errors to the shared error shape."""

    @app.exception_handler(ForbiddenError)
    async def forbidden(_: Request, error: ForbiddenError) -> JSONResponse:
        return error_response(403, str(error))

    @app.exception_handler(UnknownMemberError)
    async def unknown_member(_: Request, error: UnknownMemberError) -> JSONResponse:
        return error_response(404, str(error))

    @app.exception_handler(PreferenceError)
    async def bad_preference(_: Request, error: PreferenceError) -> JSONResponse:
        return error_response(422, str(error))
