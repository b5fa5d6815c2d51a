"""API-key authentication: `Authorization: Bearer KEY`; admin routes need the admin role."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from cachetools import TTLCache
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from store.keys import find_key, hash_key

CACHE_SECONDS = 60.0
BEARER = HTTPBearer(
    auto_error=False, scheme_name="apiKey", description="an API key from `copmatch keys create`"
)
CACHE_KEYS = 10_000  # the least recently used beyond these are forgotten


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's name and role, and the member the key acts as (None: nobody's).

    The web app builds one for its signed-in member (role "reader", member_id set).
    """

    name: str
    role: str
    member_id: str | None = None

    def acts_for(self, *member_ids: str) -> bool:
        """An admin, or the member bound to the key is one of `member_ids`."""
        return self.role == "admin" or (self.member_id is not None and self.member_id in member_ids)


class ForbiddenError(PermissionError):
    """The caller may not do this (the message says who may)."""


def require_acting_for(caller: Caller, *member_ids: str) -> None:
    """ForbiddenError unless the caller is an admin or one of these members."""
    if not caller.acts_for(*member_ids):
        who = " or ".join(repr(m) for m in member_ids)
        raise ForbiddenError(f"only {who} (a key bound to them) or an admin may do this")


class KeyCache:
    """Remembers up to `size` verified keys for a minute so a request costs no database round trip;
    forgets them all when the live revision moves (a key revoked or rotated), so every process refuses
    it within a second. A key it does not know is looked up off the event loop."""

    def __init__(
        self, sessions: sessionmaker[Session], revision: Callable[[], object], size: int = CACHE_KEYS
    ) -> None:
        self.sessions = sessions
        self.revision = revision
        self._known: TTLCache[str, Caller | None] = TTLCache(size, CACHE_SECONDS)
        self._revision: object = None

    def __len__(self) -> int:
        return len(self._known)

    async def lookup(self, key: str) -> Caller | None:
        """The caller owning `key`, or None for an unknown key."""
        current = self.revision()
        if current != self._revision:
            self._known.clear()
            self._revision = current
        digest = hash_key(key)
        try:
            return self._known[digest]  # a known key, or None for one known to be unknown
        except KeyError:
            pass
        found = await run_in_threadpool(find_key, self.sessions, key)
        caller = Caller(*found) if found else None
        self._known[digest] = caller
        return caller


async def current_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
) -> Caller:
    """Any valid key (a cached key costs no I/O; a new one is read in the thread pool).

    The bearer scheme is declared in OpenAPI, so /docs can send the key ("Authorize")."""
    if credentials is None or not credentials.credentials.strip():
        raise HTTPException(
            401, "missing API key: send 'Authorization: Bearer <key>'", headers={"WWW-Authenticate": "Bearer"}
        )
    caller = await request.app.state.keys.lookup(credentials.credentials.strip())
    if caller is None:
        raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
    return caller


async def admin_caller(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    """A key with the admin role."""
    if caller.role != "admin":
        raise HTTPException(403, "this route needs an admin key")
    return caller


ReaderDep = Annotated[Caller, Depends(current_caller)]
AdminDep = Annotated[Caller, Depends(admin_caller)]
