"""Everything a request may need, built once per app and reached through `request.app.state`."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from service.live import LiveHolder
from service.mentoring import Mentoring
from service.mentorships import Mentorships
from service.metrics import Metrics
from service.preferences import MemberPreferences
from service.recommender import Recommender
from service.reindex import Reindexer
from service.related import RelatedCommunities
from store.settings import Settings


@dataclass
class ServiceContext:
    """The long-lived parts of the service; `holder` serves the index version with the live member state."""

    settings: Settings
    sessions: sessionmaker[Session]
    holder: LiveHolder
    recommender: Recommender
    reindexer: Reindexer
    metrics: Metrics
    mentoring: Mentoring
    related: RelatedCommunities
    preferences: MemberPreferences
    mentorships: Mentorships


async def get_context(request: Request) -> ServiceContext:
    """The app's context."""
    return request.app.state.context


ContextDep = Annotated[ServiceContext, Depends(get_context)]
