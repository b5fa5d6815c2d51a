"""POST /v1/mentors, /v1/mentors/cohort and /v1/mentorships; GET /v1/mentorships[/{id}];
PATCH /v1/mentorships/{id}. Mentorships are changed only by one of their two members or an admin."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse

from service.auth import ReaderDep
from service.context import ContextDep
from service.errors import error_response, error_responses
from service.lookup import MatchRequestError
from service.schemas import MAX_ID
from service.schemas_matching import (
    CohortOut,
    CohortQuery,
    MentorQuery,
    MentorshipChange,
    MentorshipFilter,
    MentorshipIn,
    MentorshipOut,
    MentorshipsOut,
    MentorsOut,
)
from store.mentorships import MentorshipConflictError, MentorshipNotFoundError

router = APIRouter(prefix="/v1", tags=["mentors"])
MentorshipId = Annotated[int, Path(ge=1, le=MAX_ID, description="a mentorship id")]


@router.post("/mentors", response_model=MentorsOut, responses=error_responses(400, 401, 404, 422, 503))
def mentors(query: MentorQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Core or active members who know the newcomer's topics and have room to mentor."""
    found = context.mentoring.mentors(query.k, query.member_id, query.text, query.include_past)
    return {"mentors": found.items, "index_version": found.index_version}


@router.post("/mentors/cohort", response_model=CohortOut, responses=error_responses(400, 401, 404, 422, 503))
def cohort(query: CohortQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Mentors for many newcomers at once: the largest total fit within every mentor's capacity."""
    return context.mentoring.cohort(query.member_ids)


@router.post(
    "/mentorships",
    response_model=MentorshipOut,
    status_code=201,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
def propose_mentorship(body: MentorshipIn, context: ContextDep, caller: ReaderDep) -> dict:
    """Propose a mentorship (as its mentor or mentee, or an admin); 409 when the mentor opted out,
    is away, does not mentor, or the pair already has an open one."""
    return asdict(context.mentorships.propose(caller, body.mentor_id, body.mentee_id))


@router.get("/mentorships", response_model=MentorshipsOut, responses=error_responses(401, 403, 422))
def my_mentorships(
    context: ContextDep, caller: ReaderDep, query: Annotated[MentorshipFilter, Query()]
) -> dict:
    """Your mentorships (as mentor or mentee), newest first; every one for an admin key."""
    found = context.mentorships.mine(caller, query.status, query.limit)
    return {"mentorships": [asdict(m) for m in found]}


@router.get(
    "/mentorships/{mentorship_id}",
    response_model=MentorshipOut,
    responses=error_responses(401, 403, 404, 422),
)
def mentorship(mentorship_id: MentorshipId, context: ContextDep, caller: ReaderDep) -> dict:
    """One mentorship, to its mentor, its mentee or an admin."""
    return asdict(context.mentorships.get(caller, mentorship_id))


@router.patch(
    "/mentorships/{mentorship_id}",
    response_model=MentorshipOut,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
def change_mentorship(
    mentorship_id: MentorshipId, body: MentorshipChange, context: ContextDep, caller: ReaderDep
) -> dict:
    """Accept, decline or end a mentorship (its mentor or mentee, or an admin); accepting a full
    mentor is a conflict (409)."""
    return asdict(context.mentorships.change(caller, mentorship_id, body.action))


def install_error_handlers(app: FastAPI) -> None:
    """Map the matching and mentorship errors to the shared error shape."""

    @app.exception_handler(MentorshipNotFoundError)
    async def not_found(_: Request, error: MentorshipNotFoundError) -> JSONResponse:
        return error_response(404, str(error))

    @app.exception_handler(MentorshipConflictError)
    async def conflict(_: Request, error: MentorshipConflictError) -> JSONResponse:
        return error_response(409, str(error))

    @app.exception_handler(MatchRequestError)
    async def unanswerable(_: Request, error: MatchRequestError) -> JSONResponse:
        return error_response(422, str(error))
