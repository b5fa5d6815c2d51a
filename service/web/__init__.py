"""The people's web app: server-rendered pages at `/` over the same facades as the JSON API."""

import logging
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from service.errors import error_response
from service.snapshots import NoIndexError
from service.web.csrf import CsrfError
from service.web.identity import SignInRequiredError
from service.web.pages import ask, community, members, newcomer, preferences, signin
from service.web.templating import render
from store.settings import Settings

log = logging.getLogger(__name__)
SESSION_COOKIE = "copmatch_session"
SESSION_DAYS = 14


def session_secret(settings: Settings) -> str:
    """COPMATCH_WEB_SESSION_SECRET, else a random key made once and kept (mode 600) under home,
    so every service process and every restart signs cookies alike. Workers starting together
    agree: the key file appears complete, by a hard link, and only the first link wins."""
    if settings.web_session_secret is not None:
        return settings.web_session_secret.get_secret_value()
    path: Path = settings.home / "web-session.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".web-session.")
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
            log.info("made the web session key %s", path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the pages, their static files, the signed session cookie and their error pages."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_DAYS * 86400,
        same_site="lax",
        https_only=settings.web_secure_cookie,
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (signin, ask, newcomer, members, preferences, community):
        app.include_router(module.router)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/ask", status_code=303)

    @app.exception_handler(SignInRequiredError)
    async def sign_in_first(request: Request, _: SignInRequiredError) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?{urlencode({'next': target})}", status_code=303)

    @app.exception_handler(CsrfError)
    async def forged(request: Request, _: CsrfError) -> Response:
        message = "This form has expired or did not come from copmatch: reload the page and try again."
        return render(request, "problem.html", 403, title="Form refused", message=message)

    @app.exception_handler(NoIndexError)
    async def no_index(request: Request, error: NoIndexError) -> Response:
        if request.url.path.startswith("/v1"):
            return error_response(503, str(error))
        message = "copmatch has no index yet: an administrator runs `copmatch index` first."
        return render(request, "problem.html", 503, title="Not ready yet", message=message)
