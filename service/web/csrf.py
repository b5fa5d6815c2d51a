"""CSRF protection for every web form: a per-session secret token that each POST must echo.

Another site can make a browser post to copmatch with its cookie, but it cannot read the token
from copmatch's pages, so a form without the session's token is refused (403).
"""

import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

SESSION_TOKEN = "csrf"
FIELD = "csrf_token"


class CsrfError(Exception):
    """A form came without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """The session's token, created on first use."""
    token = request.session.get(SESSION_TOKEN)
    if not token:
        token = request.session[SESSION_TOKEN] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's; CsrfError otherwise."""
    form = await request.form()
    expected = request.session.get(SESSION_TOKEN)
    sent = form.get(FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfError()
    return form


FormDep = Annotated[FormData, Depends(checked_form)]
