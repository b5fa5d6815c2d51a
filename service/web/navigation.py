"""Where a form sends the browser next: only to a page of this site, with a note to show there."""

from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse

SESSION_NOTE = "note"


def safe_next(target: str, default: str = "/ask") -> str:
    """`target` when it is a path on this site, else `default` (no open redirects)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def redirect(request: Request, path: str, note: str = "", **params: str) -> RedirectResponse:
    """See-other to `path` (with query `params`); the next page rendered shows `note` once."""
    if note:
        request.session[SESSION_NOTE] = note
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{safe_next(path)}?{query}" if query else safe_next(path), status_code=303)


def take_note(request: Request) -> str:
    """The note left for this page, removed so it shows once."""
    return request.session.pop(SESSION_NOTE, "")
