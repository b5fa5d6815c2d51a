"""Who is signed in to the web pages: the trusted proxy's identity header, else the session.

The header counts only when the connection comes from an address in COPMATCH_WEB_TRUSTED_PROXIES;
from anyone else it is ignored, so a browser cannot name itself someone else. The member found is
kept in the signed session cookie, which is also how the demo sign-in signs a member in.
"""

import ipaddress
import logging
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from service.auth import Caller
from store.identity import member_for_login
from store.settings import Settings

log = logging.getLogger(__name__)
SESSION_MEMBER = "member_id"


class SignInRequiredError(Exception):
    """The page needs a signed-in member and there is none."""


@lru_cache(maxsize=64)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def from_trusted_proxy(request: Request, settings: Settings) -> bool:
    """Whether the connection's peer is one of the proxies trusted to set the identity header."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.web_trusted_proxies)))


def signed_in_member(request: Request) -> str | None:
    """The signed-in member's id: named by a trusted proxy (and remembered), else from the session."""
    context = request.app.state.context
    settings: Settings = context.settings
    login = request.headers.get(settings.web_identity_header)
    if login and from_trusted_proxy(request, settings):
        member_id = member_for_login(context.sessions, login)
        if member_id is None:
            log.warning("the proxy named %r, who is no member", login)
            request.session.pop(SESSION_MEMBER, None)
            return None
        request.session[SESSION_MEMBER] = member_id
        return member_id
    return request.session.get(SESSION_MEMBER)


def require_member(request: Request) -> str:
    """The signed-in member's id; SignInRequiredError (the sign-in page) when there is none."""
    member_id = signed_in_member(request)
    if member_id is None:
        raise SignInRequiredError()
    return member_id


def web_caller(member_id: str) -> Caller:
    """The signed-in member as the facades' caller: a reader acting for themself only."""
    return Caller(name=f"web:{member_id}"[:100], role="reader", member_id=member_id)


MemberDep = Annotated[str, Depends(require_member)]
