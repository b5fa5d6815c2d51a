"""GET/POST /signin (the demo sign-in, when COPMATCH_WEB_DEMO_SIGNIN is on) and POST /signout."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from models.participation import LEVELS
from service.snapshots import NoIndexError
from service.web.csrf import FormDep
from service.web.identity import SESSION_MEMBER
from service.web.navigation import safe_next
from service.web.templating import render
from service.web.views import visible
from store.identity import member_for_login

router = APIRouter(include_in_schema=False)


def demo_members(request: Request) -> list[dict]:
    """A newcomer with interests, a mentor with room and a coordinator (the first core member)."""
    try:
        snapshot = request.app.state.context.holder.get()
    except NoIndexError:
        return []
    members = snapshot.members
    rows = [r for r in range(len(members)) if visible(snapshot, r)]
    level = {name: LEVELS.index(name) for name in LEVELS}
    newcomer = next((r for r in rows if members.level[r] == level["newcomer"] and members.interests[r]), None)
    mentors = [r for r in rows if members.level[r] == level["core"] and members.mentor_capacity[r] > 0]
    coordinators = [r for r in rows if members.level[r] == level["core"] and r not in mentors[:1]]
    picks: tuple[tuple[str, int | None], ...] = (
        ("a newcomer", newcomer),
        ("a mentor", mentors[0] if mentors else None),
    )
    picks += (("a coordinator", coordinators[0] if coordinators else None),)
    return [
        {"role": role, "member_id": members.ids[r], "name": members.names[r]}
        for role, r in picks
        if r is not None
    ]


@router.get("/signin")
def signin_page(request: Request, next: str = "/ask") -> Response:
    """How to sign in: through the organization's proxy, or by picking a member when demo sign-in is on."""
    return render(request, "signin.html", next=safe_next(next), demo=demo_members(request))


@router.post("/signin")
def signin(request: Request, form: FormDep) -> Response:
    """Sign in as the member named in the form (demo sign-in only)."""
    next_ = safe_next(str(form.get("next", "/ask")))
    if not request.app.state.context.settings.web_demo_signin:
        message = "Demo sign-in is off: sign in through your organization's single sign-on."
        return render(request, "signin.html", 403, next=next_, demo=[], error=message)
    login = str(form.get("member_id", ""))
    member_id = member_for_login(request.app.state.context.sessions, login)
    if member_id is None:
        message = f"No member is called {login.strip()!r}: give a member id or email."
        return render(request, "signin.html", 400, next=next_, demo=demo_members(request), error=message)
    request.session.clear()
    request.session[SESSION_MEMBER] = member_id
    return RedirectResponse(next_, status_code=303)


@router.post("/signout")
def signout(request: Request, _: FormDep) -> Response:
    """Forget the signed-in member (a proxy will sign them in again on their next page)."""
    request.session.clear()
    return RedirectResponse("/signin", status_code=303)
