"""Open routes: liveness, readiness and Prometheus metrics."""

import time
from datetime import datetime

from fastapi import APIRouter, Response
from fastapi.responses import PlainTextResponse

from service.context import ContextDep
from service.errors import error_response, error_responses
from service.snapshots import NoIndexError

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None, responses=error_responses(503))
def readyz(context: ContextDep) -> Response | dict:
    """200 once an index is loaded, 503 before."""
    try:
        snapshot = context.holder.get()
    except NoIndexError as error:
        return error_response(503, str(error))
    return {"status": "ready", "index_version": snapshot.version}


@router.get(
    "/metrics",
    response_model=None,
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text"}
    },
)
def metrics(context: ContextDep) -> Response:
    """Prometheus exposition: request counts and latency per route, index version and age."""
    manifest = context.holder.manifest
    if manifest:
        context.metrics.index_version.set(manifest.get("version", 0))
        context.metrics.index_age.set(time.time() - manifest_time(manifest))
    return context.metrics.render()


def manifest_time(manifest: dict) -> float:
    """Unix time a version was built at, from its manifest."""
    return datetime.fromisoformat(manifest["created_at"]).timestamp()
