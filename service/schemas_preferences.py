"""Bodies of the member self-service routes (a member's preferences) and of erasure."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

from service.strict import whole
from store.preferences import MAX_HIDDEN_TOPICS, MAX_MENTOR_CAPACITY, Preferences, today

CommunityId = Annotated[str, Field(min_length=1, max_length=200)]


class PreferencesIn(BaseModel):
    """The fields to change; an absent field stays as it is, null resets it (to the imported value)."""

    model_config = ConfigDict(extra="forbid")

    discoverable: StrictBool | None = Field(
        default=None, description="false: never recommended, profile hidden (opted out)"
    )
    away_until: date | None = Field(default=None, description="not recommended (nor as a mentor) before it")
    hidden_topics: list[CommunityId] | None = Field(
        default=None,
        max_length=MAX_HIDDEN_TOPICS,
        description="community ids: your contributions there (and in their sub-communities) are no"
        " evidence of your expertise, so you are not recommended for them",
    )
    mentor_capacity: (
        Annotated[StrictInt, Field(ge=0, le=MAX_MENTOR_CAPACITY), BeforeValidator(whole)] | None
    ) = None


class PreferencesOut(BaseModel):
    """A member's preferences in force."""

    member_id: str
    discoverable: bool
    away: bool = Field(description="away today (UTC): not recommended")
    away_until: date | None
    hidden_topics: list[str]
    mentor_capacity: int


def preferences_out(preferences: Preferences) -> dict:
    """The API shape of a member's preferences."""
    return {
        "member_id": preferences.member_id,
        "discoverable": preferences.discoverable,
        "away": preferences.away(today()),
        "away_until": preferences.away_until,
        "hidden_topics": preferences.hidden_topics,
        "mentor_capacity": preferences.mentor_capacity,
    }


class ErasureIn(BaseModel):
    """How to erase a member."""

    model_config = ConfigDict(extra="forbid")

    with_contributions: StrictBool = Field(
        default=False, description="delete their contributions instead of re-attributing them"
    )


class ErasureOut(BaseModel):
    member_id: str
    contributions_reattributed: int
    contributions_deleted: int
    mentorships_deleted: int
    keys_deleted: int


class RestoredOut(BaseModel):
    member_id: str
    status: Literal["restored"]
