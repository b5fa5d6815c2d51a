"""Run the indexing job on a fixed interval (`copmatch index --every 15m`)."""

import logging
import re
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)([smh])")


def parse_interval(text: str) -> float:
    """Seconds in an interval written like `30s`, `15m` or `2h`.

    Raises:
        ValueError: the text is not a positive number followed by s, m or h.
    """
    match = _INTERVAL.fullmatch(text.strip())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"interval {text!r} is not a positive number followed by s, m or h (e.g. 15m)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_every(seconds: float, job: Callable[[], object], sleep: Callable[[float], None] = time.sleep) -> None:
    """Call `job` every `seconds` (start to start) until interrupted; failures are logged."""
    while True:
        started = time.monotonic()
        try:
            job()
        except Exception:
            log.exception("scheduled indexing run failed; trying again in %.0f s", seconds)
        sleep(max(0.0, seconds - (time.monotonic() - started)))
