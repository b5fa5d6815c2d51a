"""Rendering pages: the Jinja2 templates with what every page shows (who, CSRF token, navigation)."""

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.snapshots import NoIndexError
from service.web.csrf import FIELD, csrf_token
from service.web.identity import signed_in_member
from service.web.navigation import take_note

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
OPTED_OUT = "a member who opted out"
NAVIGATION = (("ask", "Ask"), ("me", "Me"), ("newcomer", "Find a mentor"), ("community", "Communities"))


def render(request: Request, template: str, status: int = 200, /, **values: object) -> HTMLResponse:
    """The page `template` filled with `values`, the signed-in member's name and the CSRF field."""
    context = request.app.state.context
    member_id = signed_in_member(request)
    values.setdefault("note", take_note(request))
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "me_id": member_id,
            "me_name": member_name(request, member_id) if member_id else None,
            "csrf_field": FIELD,
            "csrf_token": csrf_token(request),
            "navigation": NAVIGATION,
            "demo_signin": context.settings.web_demo_signin,
            **values,
        },
        status_code=status,
    )


def member_name(request: Request, member_id: str) -> str:
    """A member's name from the current index (their id when not indexed yet); for anyone but the
    signed-in member, no name of a member who opted out."""
    holder = request.app.state.context.holder
    try:
        members = holder.get().members
    except NoIndexError:
        return member_id
    row = members.row_of.get(member_id)
    if row is None:
        return member_id
    if not members.listed[row] and member_id != signed_in_member(request):
        return OPTED_OUT
    return members.names[row]
