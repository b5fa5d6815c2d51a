"""Request and response bodies of the mentor, mentorship and related-community routes (v1)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from service.schemas import MAX_K, MAX_TEXT
from service.strict import StrictBody, WholeNumber

MAX_COHORT = 500


def _exactly_one(model: BaseModel, names: tuple[str, ...]) -> None:
    """ValueError unless exactly one of the fields `names` is set."""
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)} (got {len(given)})")


def _exactly_one_schema(names: tuple[str, ...]) -> ConfigDict:
    """The same rule in the JSON schema: one `oneOf` branch per field, each requiring that field
    as a string (a null is not given), so OpenAPI clients and fuzzers see what the service does."""
    branches: list[JsonValue] = [
        {"required": [name], "properties": {name: {"type": "string"}}} for name in names
    ]
    return ConfigDict(json_schema_extra={"oneOf": branches})


class MentorQuery(StrictBody):
    """Exactly one of a newcomer (member_id) or a free text of goals to find mentors for."""

    model_config = _exactly_one_schema(("member_id", "text"))

    member_id: str | None = Field(default=None, min_length=1, max_length=200)
    text: str | None = Field(
        default=None, min_length=1, max_length=MAX_TEXT, description="what the newcomer wants to learn"
    )
    k: WholeNumber = Field(default=5, ge=1, le=MAX_K, description="how many mentors")
    include_past: bool = Field(default=False, description="also suggest the member's past mentors")

    @model_validator(mode="after")
    def _one_subject(self) -> "MentorQuery":
        _exactly_one(self, ("member_id", "text"))
        return self


class MentorOut(BaseModel):
    member_id: str
    name: str
    score: float
    reason: str
    topics: list[str]
    capacity_left: int


class MentorsOut(BaseModel):
    mentors: list[MentorOut]
    index_version: int


class CohortQuery(StrictBody):
    """Newcomers to assign mentors to at once."""

    member_ids: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=MAX_COHORT, json_schema_extra={"uniqueItems": True}, description="no repeats"
    )


class AssignmentOut(BaseModel):
    mentee_id: str
    mentor_id: str
    score: float


class UnmatchedOut(BaseModel):
    mentee_id: str
    reason: str


class CohortOut(BaseModel):
    assignments: list[AssignmentOut]
    unmatched: list[UnmatchedOut]
    index_version: int


class MentorshipIn(StrictBody):
    mentor_id: str = Field(min_length=1, max_length=200)
    mentee_id: str = Field(min_length=1, max_length=200)


class MentorshipChange(StrictBody):
    action: Literal["accept", "decline", "end"]


class MentorshipOut(BaseModel):
    id: int
    mentor_id: str
    mentee_id: str
    status: Literal["proposed", "accepted", "declined", "ended"]
    created_at: datetime
    updated_at: datetime


class MentorshipFilter(BaseModel):
    """The query of GET /v1/mentorships; an unknown parameter is refused (422 naming it)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["proposed", "accepted", "declined", "ended"] | None = None
    limit: int = Field(default=100, ge=1, le=500)


class MentorshipsOut(BaseModel):
    mentorships: list[MentorshipOut]


class RelatedQuery(StrictBody):
    """Exactly one of text, member_id or community_id to find related communities for."""

    model_config = _exactly_one_schema(("text", "member_id", "community_id"))

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    member_id: str | None = Field(default=None, min_length=1, max_length=200)
    community_id: str | None = Field(default=None, min_length=1, max_length=200)
    k: WholeNumber = Field(default=5, ge=1, le=MAX_K, description="how many communities")

    @model_validator(mode="after")
    def _one_subject(self) -> "RelatedQuery":
        _exactly_one(self, ("text", "member_id", "community_id"))
        return self


class BridgeOut(BaseModel):
    member_id: str
    name: str


class RelatedCommunityOut(BaseModel):
    community_id: str
    name: str
    score: float
    shared_members: int
    bridges: list[BridgeOut]


class RelatedCommunitiesOut(BaseModel):
    communities: list[RelatedCommunityOut]
    index_version: int
