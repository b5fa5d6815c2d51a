"""Admin routes: start a reindex, inspect the served index."""

import time

from fastapi import APIRouter, HTTPException

from service.auth import AdminDep
from service.context import ContextDep
from service.reindex import ReindexRunningError
from service.routes.health import manifest_time
from service.schemas import IndexOut, ReindexOut

router = APIRouter(prefix="/v1/admin", tags=["admin"])


@router.post("/reindex", response_model=ReindexOut, status_code=202)
def reindex(context: ContextDep, _: AdminDep) -> dict:
    """Run the indexing job in the background; 409 while one is running."""
    try:
        context.reindexer.start()
    except ReindexRunningError as error:
        raise HTTPException(409, str(error)) from error
    return {"status": "started"}


@router.get("/index", response_model=IndexOut)
def index_status(context: ContextDep, _: AdminDep) -> dict:
    """The served version, its counts and age."""
    context.holder.refresh()
    manifest = context.holder.manifest
    built = manifest_time(manifest) if manifest else None
    return {
        "version": manifest.get("version"),
        "counts": manifest.get("counts", {}),
        "built_at": manifest.get("created_at"),
        "age_seconds": round(time.time() - built, 1) if built else None,
        "reindex_running": context.reindexer.running,
    }
