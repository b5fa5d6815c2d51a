"""GET /ask: experts and past solutions for a question; POST /feedback and /asked record what helped."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from service.schemas import ExpertQuery, FeedbackIn
from service.web.csrf import FormDep
from service.web.identity import MemberDep
from service.web.navigation import redirect
from service.web.templating import render
from store.feedback import UnknownItemError, add_feedback

router = APIRouter(include_in_schema=False)
SHOWN = 5


def problem(error: ValidationError) -> str:
    """The first validation error as a sentence for the page."""
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "input"
    return f"{field}: {first['msg']}"


def one_newline(text: str) -> str:
    """Text as typed, with the CRLF line ends that browsers post made plain newlines."""
    return text.replace("\r\n", "\n")


@router.get("/ask")
def ask(request: Request, member_id: MemberDep, q: str = "") -> Response:
    """The question box, and for a question the experts and similar past solutions side by side."""
    q = one_newline(q)
    if not q.strip():
        return render(request, "ask.html", q="", experts=[], solutions=[])
    limit = request.app.state.context.settings.max_text_chars
    if len(q) > limit:
        error = f"text: at most {limit} characters, got {len(q)}"
        return render(request, "ask.html", 422, q=q[:200], experts=[], solutions=[], error=error)
    try:
        query = ExpertQuery(text=q.strip(), k=SHOWN, exclude=[member_id])
    except ValidationError as error:
        return render(request, "ask.html", 422, q=q[:200], experts=[], solutions=[], error=problem(error))
    recommender = request.app.state.context.recommender
    experts = recommender.experts(query.text, query.k, exclude=query.exclude)
    solutions = recommender.solutions(query.text, query.k)
    members = request.app.state.context.holder.get().members
    timezones = {e["member_id"]: members.timezone[members.row_of[e["member_id"]]] for e in experts.items}
    return render(
        request,
        "ask.html",
        q=query.text,
        experts=experts.items,
        solutions=solutions.items,
        timezones=timezones,
        index_version=experts.index_version,
    )


@router.post("/feedback")
def feedback(request: Request, member_id: MemberDep, form: FormDep) -> Response:
    """Record a verdict on one result, as POST /v1/feedback does, then show the question again."""
    question = one_newline(str(form.get("query", "")))
    try:
        sent = {name: form.get(name) or None for name in FeedbackIn.model_fields}
        body = FeedbackIn.model_validate(sent | {"query": question}, strict=False)  # a form sends strings
    except ValidationError as error:
        return redirect(request, "/ask", f"Not recorded: {problem(error)}", q=question)
    try:
        add_feedback(
            request.app.state.context.sessions,
            recommendation=body.recommendation,
            item_id=body.item_id,
            verdict=body.verdict,
            query=body.query,
            index_version=body.index_version,
            api_key_name=f"web:{member_id}"[:100],
        )
    except UnknownItemError as error:
        return redirect(request, "/ask", f"Not recorded: {error}", q=question)
    verdict = body.verdict.replace("_", " ")
    return redirect(request, "/ask", f"Thanks: recorded as {verdict}.", q=question)


@router.post("/asked")
def asked(request: Request, _: MemberDep, form: FormDep) -> Response:
    """Count that the member asked this person: a real request weighs on their load like a recommendation."""
    question, expert = str(form.get("query", "")), str(form.get("item_id", ""))
    exposure = request.app.state.context.recommender.exposure
    if exposure is not None and expert:
        exposure.record([expert])
    return redirect(request, "/ask", "Noted that you asked them; thanks.", q=question)
