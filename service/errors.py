"""One JSON error shape for every failure: {"error": {"code", "message"}}; an unexpected error
also carries its request id, under which it is logged with its traceback."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from service.lookup import UnknownIdError
from service.request_ids import HEADER, request_id
from service.schemas import ErrorOut
from service.snapshots import NoIndexError

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}
_MEANINGS = {
    400: "malformed request",
    401: "no API key, or an unknown one",
    403: "the key's role may not use this route",
    404: "an id in the request is not known",
    409: "the request conflicts with the current state",
    422: "the request breaks the schema or a rule (the message names the field)",
    503: "no index has been built yet",
}


def error_response(status: int, message: str) -> JSONResponse:
    """The shared error body."""
    code = _CODES.get(status, "error")
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can give, plus the unexpected 500."""
    documented: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorOut, "description": _MEANINGS[status]} for status in statuses
    }
    return documented | {
        500: {"model": ErrorOut, "description": "unexpected error; the body names its request id"}
    }


def _validation_message(error: RequestValidationError) -> str:
    """'body.k: Input should be less than or equal to 100; ...' from pydantic's details."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    """Map HTTP, validation and domain errors to the shared shape."""

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, error: HTTPException) -> JSONResponse:
        response = error_response(error.status_code, str(error.detail))
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_message(error))

    @app.exception_handler(UnknownIdError)
    async def unknown(_: Request, error: UnknownIdError) -> JSONResponse:
        return error_response(404, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        rid = request_id(request)
        log.error("request %s: %s %s failed", rid, request.method, request.url.path, exc_info=error)
        body = {"code": _CODES[500], "message": f"internal error (request id {rid})", "request_id": rid}
        return JSONResponse({"error": body}, status_code=500, headers={HEADER: rid})

    @app.exception_handler(NoIndexError)
    async def no_index(_: Request, error: NoIndexError) -> JSONResponse:
        return error_response(503, str(error))
