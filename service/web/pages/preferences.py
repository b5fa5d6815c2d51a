"""POST /me/preferences: the Me page's self-service, through the same facade as the API's PATCH.

Opt out or back in, away until a date (or back now), mentor capacity, hide a topic (a community)
or show it again; every route of every process applies it within a second.
"""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from service.schemas_preferences import PreferencesIn
from service.web.csrf import FormDep
from service.web.identity import MemberDep, web_caller
from service.web.navigation import redirect
from service.web.pages.ask import problem
from store.preferences import PreferenceError, today

router = APIRouter(include_in_schema=False)
DONE = {
    "opt_out": "You opted out: nobody is recommended you and no page shows you.",
    "opt_in": "You are back: copmatch recommends you again.",
    "away": "Away until {value}: you are not recommended, nor as a mentor, until then.",
    "back": "Welcome back: you are recommended again.",
    "capacity": "Mentor capacity set to {value}.",
    "hide": "Topic hidden: you are no longer recommended for it.",
    "show": "Topic shown again.",
}


def changes_for(action: str, value: str, hidden: list[str]) -> dict:
    """The preference fields a Me-page button changes; ValueError for an unknown button or a bad number."""
    if action in ("opt_out", "opt_in"):
        return {"discoverable": action == "opt_in"}
    if action in ("away", "back"):
        return {"away_until": value if action == "away" else None}
    if action == "capacity":
        return {"mentor_capacity": int(value)}
    if action in ("hide", "show"):
        kept = [t for t in hidden if t != value]
        return {"hidden_topics": kept + [value] if action == "hide" else kept}
    raise ValueError(f"unknown change {action!r}")


@router.post("/me/preferences")
def update(request: Request, member_id: MemberDep, form: FormDep) -> Response:
    """Apply one Me-page change for the signed-in member; a bad value leaves a message, nothing changed."""
    preferences = request.app.state.context.preferences
    caller = web_caller(member_id)
    action, value = str(form.get("action", "")), str(form.get("value", "")).strip()
    try:
        changes = changes_for(action, value, preferences.get(caller, member_id).hidden_topics)
        body = PreferencesIn.model_validate(changes)
        if body.away_until is not None and body.away_until <= today():
            raise ValueError("pick a day after today to be away until")
        preferences.update(caller, member_id, body.model_dump(exclude_unset=True))
    except ValidationError as error:
        return redirect(request, "/me", f"Not changed: {problem(error)}")
    except (ValueError, PreferenceError) as error:
        return redirect(request, "/me", f"Not changed: {error}")
    return redirect(request, "/me", DONE[action].format(value=value))
