"""Request and response bodies of the HTTP API (v1)."""

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from service.schemas_preferences import PreferencesOut
from service.strict import StrictBody, WholeNumber, whole
from store.settings import Settings

MAX_TEXT = 5000  # free texts other than questions: mentoring goals, related-community topics
MAX_K = 100
HAS_WORDS = r"[^\W_]"  # a letter or digit somewhere: the schema says it, the validator words it
MAX_QUESTION = Settings.model_fields["max_text_chars"].default  # a question quoted in feedback
MAX_ID = 2**31 - 1  # integer ids and versions: the store's INTEGER columns (32-bit on PostgreSQL)


class TextQuery(StrictBody):
    """A question or topic to recommend for."""

    text: str = Field(
        min_length=1,
        description="the question: title, body, logs; up to COPMATCH_MAX_TEXT_CHARS characters"
        " (30,000 by default). The embedding reads its head and tail, the keyword search all of it",
        json_schema_extra={"pattern": HAS_WORDS},
    )
    k: WholeNumber = Field(default=10, ge=1, le=MAX_K, description="how many results")
    community_id: str | None = Field(default=None, description="only this community")

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str) -> str:
        """A text of only spaces or symbols says nothing to match on: refused (422), not answered."""
        if not re.search(HAS_WORDS, text):
            raise ValueError("the text has no letters or digits to match on")
        return text


class ExpertQuery(TextQuery):
    exclude: list[str] = Field(
        default_factory=list, max_length=1000, description="member ids, e.g. the asker"
    )


class EvidenceOut(BaseModel):
    contribution_id: str
    kind: str
    title: str
    similarity: float | None = Field(description="cosine similarity; null for a keyword-only match")
    accepted: bool
    created_at: str
    community_id: str | None


class ExpertOut(BaseModel):
    member_id: str
    name: str
    score: float
    confidence: float = Field(description="calibrated chance that this member gives the accepted answer")
    level: str
    reason: str
    evidence: list[EvidenceOut]


class ExpertsOut(BaseModel):
    matched: bool = Field(
        description="false: no one in the organization has written about this; `experts` are then"
        " only the closest people"
    )
    message: str | None = Field(description="said plainly when nothing matches")
    experts: list[ExpertOut]
    index_version: int


class SolutionOut(EvidenceOut):
    score: float
    snippet: str
    author_id: str | None
    author_name: str | None


class SolutionsOut(BaseModel):
    solutions: list[SolutionOut]
    index_version: int


class FeedbackIn(StrictBody):
    """A user's verdict on one recommended item."""

    recommendation: Literal["experts", "solutions", "mentors", "communities"]
    item_id: str = Field(min_length=1, max_length=200)
    verdict: Literal["helpful", "not_helpful", "no_response"]
    query: str = Field(default="", max_length=MAX_QUESTION)
    index_version: Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(whole)] | None = None


class FeedbackOut(BaseModel):
    id: int


class TopicOut(BaseModel):
    topic: str = Field(description="the topic's name in its community (see /v1/communities/{id}/health)")
    community_id: str
    contributions: int
    accepted: int


class CommunityLevelOut(BaseModel):
    community_id: str
    name: str
    level: str


class MemberOut(BaseModel):
    member_id: str
    name: str
    level: str
    skills: list[str]
    topics: list[TopicOut]
    communities: list[CommunityLevelOut]
    preferences: PreferencesOut | None = Field(
        default=None, description="only for the member themself (or an admin)"
    )


class BuildOut(BaseModel):
    status: Literal["running", "done", "failed", "interrupted"] = Field(
        description="interrupted: the run died without recording an outcome"
    )
    version: int | None
    started_at: str
    finished_at: str | None
    error: str | None


class IndexOut(BaseModel):
    version: int | None
    counts: dict[str, int]
    built_at: str | None
    age_seconds: float | None
    reindex_running: bool
    last_build: BuildOut | None


class ExposureOut(BaseModel):
    member_id: str
    recommended: int


class ExposuresOut(BaseModel):
    window_days: float
    sync_seconds: float
    members: list[ExposureOut]


class ReindexOut(BaseModel):
    status: Literal["started"]


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str | None = Field(
        default=None, description="on unexpected errors: the id it is logged under"
    )


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    error: ErrorBody
