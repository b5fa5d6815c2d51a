"""SQLAlchemy 2 table mappings for the organization store; portable SQL only."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every copmatch table."""


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    parent_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Member(Base):
    __tablename__ = "members"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    email: Mapped[str | None] = mapped_column(String(300), nullable=True, index=True)
    chat_user_id: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(300), default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    profile: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, default=list)
    mentor_capacity: Mapped[int] = mapped_column(Integer, default=0)
    discoverable: Mapped[bool] = mapped_column(Boolean, default=True)
    manager_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Membership(Base):
    __tablename__ = "memberships"

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    community_id: Mapped[str] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    role: Mapped[str] = mapped_column(String(100), default="")
    derived: Mapped[bool] = mapped_column(Boolean, default=False)


class Contribution(Base):
    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_thread", "thread_id"),)

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    thread_id: Mapped[str] = mapped_column(String(200))
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[int] = mapped_column(Integer, default=0)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Mentorship(Base):
    __tablename__ = "mentorships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mentor_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    mentee_id: Mapped[str] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recommendation: Mapped[str] = mapped_column(String(20))
    query: Mapped[str] = mapped_column(Text, default="")
    item_id: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(20))
    index_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    api_key_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Exposure(Base):
    """How often a member was recommended on one day: the load-spreading signal."""

    __tablename__ = "exposures"

    member_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class Suggestion(Base):
    """A member suggested for an unanswered question by `copmatch route`, and what came of it."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("question_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[str] = mapped_column(String(200), index=True)
    member_id: Mapped[str] = mapped_column(String(200))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(20))  # thread, dm or written (no Slack token)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class IndexBuild(Base):
    __tablename__ = "index_builds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    embedded: Mapped[int] = mapped_column(Integer, default=0)
    reused: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str] = mapped_column(Text, default="")


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    member_id: Mapped[str | None] = mapped_column(String(200), nullable=True)  # whose actions the key takes


class MemberPreference(Base):
    """What a member decided about themself; owned by the member, never touched by an import.

    A null column means "as imported" (the bundle's discoverable and mentor_capacity).
    """

    __tablename__ = "member_preferences"

    member_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    discoverable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    away_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    hidden_topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # community ids
    mentor_capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ErasedMember(Base):
    """A member erased by an admin: kept out of every import until restored."""

    __tablename__ = "erased_members"

    member_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    with_contributions: Mapped[bool] = mapped_column(Boolean, default=False)
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LiveRevision(Base):
    """One row counting changes to live member state, so every service process sees them cheaply."""

    __tablename__ = "live_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class ContributionLink(Base):
    """A relation between two contributions an export states, e.g. a question marked duplicate."""

    __tablename__ = "contribution_links"

    from_id: Mapped[str] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True)
    to_id: Mapped[str] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)


class ImportCursor(Base):
    """Where an incremental importer got to in one source (e.g. a forum category)."""

    __tablename__ = "import_cursors"

    source: Mapped[str] = mapped_column(String(300), primary_key=True)
    position: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
