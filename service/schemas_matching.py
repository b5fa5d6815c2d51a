"""Request and response bodies of the mentor, mentorship and related-community routes (v1)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from service.schemas import MAX_K, MAX_TEXT

MAX_COHORT = 500


def _exactly_one(model: BaseModel, names: tuple[str, ...]) -> None:
    """ValueError unless exactly one of the fields `names` is set."""
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)} (got {len(given)})")


class MentorQuery(BaseModel):
    """A newcomer (by member id) or a free text of goals to find mentors for."""

    member_id: str | None = Field(default=None, min_length=1, max_length=200)
    text: str | None = Field(
        default=None, min_length=1, max_length=MAX_TEXT, description="what the newcomer wants to learn"
    )
    k: int = Field(default=5, ge=1, le=MAX_K, description="how many mentors")
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


class CohortQuery(BaseModel):
    """Newcomers to assign mentors to at once."""

    member_ids: list[str] = Field(min_length=1, max_length=MAX_COHORT)


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


class MentorshipIn(BaseModel):
    mentor_id: str = Field(min_length=1, max_length=200)
    mentee_id: str = Field(min_length=1, max_length=200)


class MentorshipChange(BaseModel):
    action: Literal["accept", "decline", "end"]


class MentorshipOut(BaseModel):
    id: int
    mentor_id: str
    mentee_id: str
    status: Literal["proposed", "accepted", "declined", "ended"]
    created_at: datetime
    updated_at: datetime


class MentorshipsOut(BaseModel):
    mentorships: list[MentorshipOut]


class RelatedQuery(BaseModel):
    """Exactly one of a text, a member or a community to find related communities for."""

    text: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT)
    member_id: str | None = Field(default=None, min_length=1, max_length=200)
    community_id: str | None = Field(default=None, min_length=1, max_length=200)
    k: int = Field(default=5, ge=1, le=MAX_K, description="how many communities")

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
