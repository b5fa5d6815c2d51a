"""A request id on every response (X-Request-ID), so a logged failure can be found from a reply.

A caller's own X-Request-ID is kept when it is a plain token (a proxy's trace id); otherwise one
is made. The id lives in the request's state for the error handlers and the log.
"""

import re
import uuid

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id(request: Request) -> str:
    """The id of `request` (set by the middleware; '-' outside it)."""
    return getattr(request.state, "request_id", "-")


class _RequestIdMiddleware:
    """Pure ASGI: picks the id before the app runs and adds the header when the response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(HEADER.lower().encode(), b"").decode("latin-1")
        rid = given if _ACCEPTED.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message["headers"] = [*headers, (HEADER.lower().encode(), rid.encode())]
            await send(message)

        await self.app(scope, receive, sending)


def install_request_ids(app: FastAPI) -> None:
    """Give every HTTP request an id, echoed in the X-Request-ID response header."""
    app.add_middleware(_RequestIdMiddleware)
