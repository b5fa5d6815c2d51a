"""Validated record types shared by every importer, and the error naming a bad input line."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from store.importers.errors import BundleError, Place, where
from store.importers.limits import Count, Id, Items, LongText, Name, Score

__all__ = ["BundleError", "Place", "where"]  # importers and the CLI take it from here

Kind = Literal["question", "answer", "post", "comment", "document", "solution"]


def as_utc(moment: datetime) -> datetime:
    """A zone-less time is UTC; every time is returned timezone-aware in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


UtcTime = Annotated[datetime, AfterValidator(as_utc)]


class Record(BaseModel):
    """Base of the input records: unknown fields are ignored, null means 'not given'."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        """Exports often write null for an absent field; let the field's default apply."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


class CommunityRecord(Record):
    id: Id
    name: Name
    description: LongText = ""
    tags: Items = []
    parent_id: Id | None = None


class MemberRecord(Record):
    id: Id
    name: Name
    joined_at: UtcTime | None = None
    email: Name | None = None
    chat_user_id: Annotated[str, Field(max_length=100)] | None = None
    title: Name = ""
    unit: Name = ""
    location: Name = ""
    timezone: Annotated[str, Field(max_length=64)] | None = None
    languages: Items = []
    profile: LongText = ""
    skills: Items = []
    interests: Items = []
    mentor_capacity: Count = 0
    discoverable: bool = True
    manager_id: Id | None = None


class MembershipRecord(Record):
    member_id: Id
    community_id: Id
    joined_at: UtcTime | None = None
    role: Annotated[str, Field(max_length=100)] = ""


class ContributionRecord(Record):
    id: Id
    author_id: Id
    kind: Kind
    created_at: UtcTime
    community_id: Id | None = None
    title: LongText = ""
    body: LongText = ""
    parent_id: Id | None = None
    accepted: bool = False
    score: Score = 0
    tags: Items = []


class LinkRecord(Record):
    from_id: Id
    to_id: Id
    kind: Literal["duplicate"]


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class Located(Generic[R]):
    """A record with the file and the line or place it came from (None: made by the importer)."""

    record: R
    file: str
    line: Place


@dataclass
class Batch:
    """Everything one import brings; `memberships` None means: derive them from contributions.

    `cursors`: where an incremental importer got to, per source, saved with the batch.
    """

    communities: list[Located[CommunityRecord]] = field(default_factory=list)
    members: list[Located[MemberRecord]] = field(default_factory=list)
    memberships: list[Located[MembershipRecord]] | None = None
    contributions: list[Located[ContributionRecord]] = field(default_factory=list)
    links: list[Located[LinkRecord]] = field(default_factory=list)
    cursors: dict[str, str] = field(default_factory=dict)


def parse_record(model: type[R], data: Any, file: str, line: Place) -> Located[R]:
    """Validate one input object as `model`; raises BundleError naming file and line or place."""
    if not isinstance(data, dict):
        raise BundleError(file, line, "not a JSON object")
    try:
        return Located(model.model_validate(data), file, line)
    except ValidationError as error:
        raise BundleError(file, line, _describe(error, data)) from error


def _describe(error: ValidationError, data: dict[str, Any]) -> str:
    """A short message for the first violated condition of a record."""
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"])
    if first["type"] == "missing":
        return f"missing required field '{name}'"
    if name == "kind" and first["type"] == "literal_error":
        return f"unknown kind {data.get('kind')!r}"
    return f"field '{name}': {first['msg']}"
