"""GET /newcomer: mentors for the signed-in member; POST /mentorships and /mentorships/{id} change them."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from service.auth import ForbiddenError
from service.lookup import MatchRequestError
from service.schemas_matching import MentorQuery
from service.web.csrf import FormDep
from service.web.identity import MemberDep, web_caller
from service.web.navigation import redirect, safe_next
from service.web.pages.ask import problem
from service.web.templating import member_name, render
from store.mentorships import MentorshipError, MentorshipNotFoundError

router = APIRouter(include_in_schema=False)
SHOWN = 5
ACTIONS = {"accept": "accepted", "decline": "declined", "end": "ended"}


@router.get("/newcomer")
def newcomer(request: Request, member_id: MemberDep, goals: str = "", find: str = "") -> Response:
    """The mentor search form; with `find`, mentors from the member's interests, first contributions
    and the goals typed, each with a reason and a propose button."""
    context = request.app.state.context
    mine = [m for m in context.mentorships.mine(web_caller(member_id)) if m.mentee_id == member_id]
    requests = [{"record": m, "mentor_name": member_name(request, m.mentor_id)} for m in mine]
    values = {"goals": goals[:200], "mentors": [], "requests": requests, "searched": bool(find)}
    if not find:
        return render(request, "newcomer.html", **values)
    try:
        query = MentorQuery(member_id=member_id, text=goals.strip() or None, k=SHOWN)
        found = context.mentoring.mentors(query.k, query.member_id, query.text, query.include_past)
    except ValidationError as error:
        return render(request, "newcomer.html", 422, **values, error=problem(error))
    except MatchRequestError as error:
        return render(request, "newcomer.html", 422, **values, error=str(error))
    return render(request, "newcomer.html", **values | {"mentors": found.items})


@router.post("/mentorships")
def propose_mentor(request: Request, member_id: MemberDep, form: FormDep) -> Response:
    """Propose the mentor named in the form to mentor the signed-in member."""
    mentor_id = str(form.get("mentor_id", ""))
    try:
        request.app.state.context.mentorships.propose(web_caller(member_id), mentor_id, member_id)
    except MentorshipError as error:
        return redirect(request, "/newcomer", f"Not proposed: {error}")
    name = member_name(request, mentor_id)
    return redirect(request, "/newcomer", f"Proposed to {name}; they will see it on their page.")


@router.post("/mentorships/{mentorship_id}")
def change_mentorship(request: Request, mentorship_id: str, member_id: MemberDep, form: FormDep) -> Response:
    """Accept, decline or end a mentorship: only its mentor or mentee may, as in the API."""
    action = str(form.get("action", ""))
    back = safe_next(str(form.get("next", "/me")), "/me")
    if action not in ACTIONS:
        return redirect(request, back, f"Not changed: no such change {action[:20]!r}.")
    if not mentorship_id.isdigit() or not 1 <= int(mentorship_id) < 2**31:
        return redirect(request, back, f"There is no mentorship {mentorship_id[:20]!r}.")
    try:
        request.app.state.context.mentorships.change(web_caller(member_id), int(mentorship_id), action)
    except MentorshipNotFoundError:
        return redirect(request, back, f"There is no mentorship {mentorship_id[:20]!r}.")
    except ForbiddenError:
        return redirect(request, back, f"Mentorship {mentorship_id} is not yours to change.")
    except MentorshipError as error:
        return redirect(request, back, f"Not changed: {error}")
    return redirect(request, back, f"Mentorship {ACTIONS[action]}.")
