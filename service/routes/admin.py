"""Admin routes: start a reindex, inspect the served index and the load-spreading counts."""

import time
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from indexing.job import last_build
from service.auth import AdminDep
from service.context import ContextDep
from service.errors import error_responses
from service.reindex import ReindexRunningError
from service.routes.health import manifest_time
from service.schemas import ExposuresOut, IndexOut, ReindexOut

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=error_responses(401, 403))


@router.post("/reindex", response_model=ReindexOut, status_code=202, responses=error_responses(409))
def reindex(context: ContextDep, _: AdminDep) -> dict:
    """Run the indexing job in a separate, niced, single-threaded process; the service swaps in
    the version it publishes. 409 while any indexing run is under way."""
    try:
        context.reindexer.start()
    except ReindexRunningError as error:
        raise HTTPException(409, str(error)) from error
    return {"status": "started"}


@router.get("/index", response_model=IndexOut)
def index_status(context: ContextDep, _: AdminDep) -> dict:
    """The served version, its counts and age, and the latest indexing run's outcome."""
    context.holder.refresh()
    manifest = context.holder.manifest
    built = manifest_time(manifest) if manifest else None
    return {
        "version": manifest.get("version"),
        "counts": manifest.get("counts", {}),
        "built_at": manifest.get("created_at"),
        "age_seconds": round(time.time() - built, 1) if built else None,
        "reindex_running": context.reindexer.running,
        "last_build": last_build(context.sessions, context.settings.index_dir),
    }


class ExposuresQuery(BaseModel):
    """The query of GET /v1/admin/exposures; an unknown parameter is refused (422 naming it)."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=1000)


@router.get("/exposures", response_model=ExposuresOut, responses=error_responses(404, 422))
def exposures(context: ContextDep, _: AdminDep, query: Annotated[ExposuresQuery, Query()]) -> dict:
    """The most recommended members of the load-spreading window, as this replica counts them."""
    tracker = context.recommender.exposure
    if tracker is None:
        raise HTTPException(404, "load spreading is off (COPMATCH_LOAD_SPREADING=false)")
    return {
        "window_days": tracker.window_days,
        "sync_seconds": tracker.sync_seconds,
        "members": [{"member_id": m, "recommended": n} for m, n in tracker.totals().most_common(query.limit)],
    }
