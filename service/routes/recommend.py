"""POST /v1/experts and /v1/solutions.

Both are async: their work is CPU over the in-memory snapshot (no I/O), so running it on the
event loop saves the thread-pool hand-offs, about 2 ms of a 1M request (README, "Speed").
"""

from fastapi import APIRouter, HTTPException

from service.auth import ReaderDep
from service.context import ContextDep, ServiceContext
from service.errors import error_responses
from service.schemas import ExpertQuery, ExpertsOut, SolutionsOut, TextQuery

router = APIRouter(prefix="/v1", tags=["recommendations"], responses=error_responses(400, 401, 404, 422, 503))


def _within_limit(text: str, context: ServiceContext) -> str:
    """`text`, or 422 when it is longer than COPMATCH_MAX_TEXT_CHARS (the only refusal by length)."""
    limit = context.settings.max_text_chars
    if len(text) > limit:
        raise HTTPException(
            422, f"body.text: at most {limit} characters (COPMATCH_MAX_TEXT_CHARS), got {len(text)}"
        )
    return text


@router.post("/experts", response_model=ExpertsOut)
async def experts(query: ExpertQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Members who know about the question, each with evidence, level and a reason."""
    text = _within_limit(query.text, context)
    found = context.recommender.experts(text, query.k, query.community_id, query.exclude)
    return {
        "matched": found.matched,
        "message": found.message,
        "experts": found.items,
        "index_version": found.index_version,
    }


@router.post("/solutions", response_model=SolutionsOut)
async def solutions(query: TextQuery, context: ContextDep, _: ReaderDep) -> dict:
    """Accepted answers, validated solutions and documents to reuse before asking again."""
    text = _within_limit(query.text, context)
    found = context.recommender.solutions(text, query.k, query.community_id)
    return {"solutions": found.items, "index_version": found.index_version}
