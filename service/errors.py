"""One JSON error shape for every failure: {"error": {"code", "message"}}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from service.lookup import UnknownIdError
from service.snapshots import NoIndexError

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid_request",
    503: "unavailable",
}


def error_response(status: int, message: str) -> JSONResponse:
    """The shared error body."""
    code = _CODES.get(status, "error")
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


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

    @app.exception_handler(NoIndexError)
    async def no_index(_: Request, error: NoIndexError) -> JSONResponse:
        return error_response(503, str(error))
