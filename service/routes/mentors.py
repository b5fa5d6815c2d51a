"""POST /v1/mentors, /v1/mentors/cohort and /v1/mentorships; PATCH /v1/mentorships/{id}."""

from dataclasses import asdict

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from service.auth import ReaderDep
from service.context import ContextDep
from service.errors import error_response
from service.lookup import MatchRequestError
from service.schemas_matching import (
    CohortOut,
    CohortQuery,
    MentorQuery,
    MentorshipChange,
    MentorshipIn,
    MentorshipOut,
    MentorsOut,
)
from store.mentorships import MentorshipConflictError, MentorshipNotFoundError, change, propose

router = APIRouter(prefix="/v1", tags=["mentors"])


@router.post("/mentors", response_model=MentorsOut)
def mentors(query: MentorQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Core or active members who know the newcomer's topics and have room to mentor."""
    found = context.mentoring.mentors(query.k, query.member_id, query.text, query.include_past)
    return {"mentors": found.items, "index_version": found.index_version}


@router.post("/mentors/cohort", response_model=CohortOut)
def cohort(query: CohortQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Mentors for many newcomers at once: the largest total fit within every mentor's capacity."""
    return context.mentoring.cohort(query.member_ids)


@router.post("/mentorships", response_model=MentorshipOut, status_code=201)
def propose_mentorship(body: MentorshipIn, context: ContextDep, _: ReaderDep) -> dict:
    """Record a proposed mentorship."""
    return asdict(propose(context.sessions, body.mentor_id, body.mentee_id))


@router.patch("/mentorships/{mentorship_id}", response_model=MentorshipOut)
def change_mentorship(mentorship_id: int, body: MentorshipChange, context: ContextDep, _: ReaderDep) -> dict:
    """Accept, decline or end a mentorship; accepting a full mentor is a conflict (409)."""
    return asdict(change(context.sessions, mentorship_id, body.action))


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
