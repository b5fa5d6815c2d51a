"""GET /me (what copmatch thinks I know, my mentorships), /members/{id} and /contributions/{id}."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.web.identity import MemberDep, web_caller
from service.web.templating import member_name, render
from service.web.views import NotShownError, member_view, shown_row, visible
from store.expertise import contribution
from store.preferences import today

router = APIRouter(include_in_schema=False)


@router.get("/me")
def me(request: Request, member_id: MemberDep) -> Response:
    """The signed-in member's topics with evidence, levels, mentees and mentor requests."""
    context = request.app.state.context
    snapshot = context.holder.get()
    row = snapshot.members.row_of.get(member_id)
    if row is None:
        return render(request, "me.html", view=None)
    mentorships = [
        {"record": m, "other": member_name(request, m.mentee_id if m.mentor_id == member_id else m.mentor_id)}
        for m in context.mentorships.mine(web_caller(member_id))
    ]
    return render(
        request,
        "me.html",
        view=member_view(context, snapshot, row, own=True),
        preferences=context.preferences.get(web_caller(member_id), member_id),
        today=today(),
        as_mentor=[m for m in mentorships if m["record"].mentor_id == member_id],
        as_mentee=[m for m in mentorships if m["record"].mentee_id == member_id],
    )


@router.get("/members/{member_id}")
def member(request: Request, member_id: str, _: MemberDep) -> Response:
    """What a colleague is known for, with evidence; no page for a member who opted out."""
    context = request.app.state.context
    snapshot = context.holder.get()
    try:
        row = shown_row(snapshot, member_id)
    except NotShownError:
        return render(request, "missing.html", 404, what="member", name=member_id[:200])
    return render(request, "member.html", view=member_view(context, snapshot, row))


@router.get("/contributions/{contribution_id}")
def contribution_page(request: Request, contribution_id: str, _: MemberDep) -> Response:
    """One contribution (the evidence behind a recommendation); its author only if they may be shown."""
    found = contribution(request.app.state.context.sessions, contribution_id)
    if found is None:
        return render(request, "missing.html", 404, what="contribution", name=contribution_id[:200])
    snapshot = request.app.state.context.holder.get()
    row = snapshot.members.row_of.get(found["author_id"])
    author = found["author_id"] if row is not None and visible(snapshot, row) else None
    name = member_name(request, author) if author else None
    return render(request, "contribution.html", item=found, author=author, author_name=name)
