"""A polite HTTP client for a Discourse forum's REST API: API key headers, a concurrency limit,
retries with backoff on 429 and 5xx (honouring Retry-After), clear errors for 401/403/404."""

import logging
from asyncio import Semaphore, sleep
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from store.importers.records import BundleError

log = logging.getLogger(__name__)
logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request would flood the log
ATTEMPTS = 6
BACKOFF_S = 1.0  # first wait; doubled per retry
MAX_WAIT_S = 300.0
RETRIED = {429, 500, 502, 503, 504}
REFUSED = {
    401: "not authorized: check --api-key and --api-username",
    403: "forbidden: the API key's user may not read this",
    404: "not found",
}


class NotFound(BundleError):
    """The forum answered 404 for a path."""


class DiscourseClient:
    """GETs JSON from one forum, at most `concurrency` requests at a time."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        api_username: str | None = None,
        concurrency: int = 4,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BundleError(base_url, None, "not a forum URL: give it as https://host")
        headers = {"Accept": "application/json", "User-Agent": "copmatch-importer"}
        if api_key:
            headers |= {"Api-Key": api_key, "Api-Username": api_username or "system"}
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=self.base_url, headers=headers, timeout=30.0, follow_redirects=True, transport=transport
        )
        self._limit = Semaphore(concurrency)

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON at `path`; raises BundleError naming the path when the forum refuses or fails."""
        problem = ""
        for attempt in range(ATTEMPTS):
            async with self._limit:
                try:
                    response = await self._http.get(path, params=params)
                except httpx.TransportError as error:
                    response, problem = None, f"{type(error).__name__}: {error}"
            if response is not None and response.status_code not in RETRIED:
                return _json(path, response)
            wait = BACKOFF_S * 2**attempt
            if response is not None:
                problem = f"HTTP {response.status_code}"
                wait = _retry_after(response) or wait
            if attempt + 1 < ATTEMPTS:
                log.warning("%s on %s; retrying in %.1f s", problem, path, wait)
                await sleep(wait)
        raise BundleError(path, None, f"gave up after {ATTEMPTS} tries: {problem}")


def _json(path: str, response: httpx.Response) -> Any:
    """The body of a final response, or the error it stands for."""
    status = response.status_code
    if status == 404:
        raise NotFound(path, None, REFUSED[404])
    if status in REFUSED:
        raise BundleError(path, None, f"HTTP {status} {REFUSED[status]}")
    if response.is_error:
        raise BundleError(path, None, f"HTTP {status}")
    try:
        return response.json()
    except ValueError as error:
        raise BundleError(path, None, "the forum did not answer JSON") from error


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the Retry-After header asks to wait (a number or an HTTP date), capped."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_WAIT_S)
