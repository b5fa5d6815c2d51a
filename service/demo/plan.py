"""What a demo organization of each size holds, and the fixed timeline it lives in."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Size = Literal["small", "default"]

END = datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
START = END - timedelta(days=3 * 365)
STALE_BEFORE = END - timedelta(days=2 * 365)


@dataclass(frozen=True)
class SizePlan:
    """Member count and activity per topic of one demo size."""

    members: int
    questions_per_topic: int
    solutions_per_topic: int
    document_share: float
    managers_per_community: int


SIZES: dict[str, SizePlan] = {
    "small": SizePlan(
        members=120,
        questions_per_topic=5,
        solutions_per_topic=1,
        document_share=0.15,
        managers_per_community=1,
    ),
    "default": SizePlan(
        members=300,
        questions_per_topic=20,
        solutions_per_topic=3,
        document_share=0.4,
        managers_per_community=2,
    ),
}
