"""The FastAPI application factory."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from indexing.job import make_encoder
from models.encoder import Encoder
from service.auth import KeyCache
from service.context import ServiceContext
from service.errors import install_error_handlers
from service.exposure import ExposureTracker
from service.live import LiveHolder
from service.mentoring import Mentoring
from service.mentorships import Mentorships
from service.metrics import Metrics, install_metrics
from service.preferences import MemberPreferences
from service.queries import query_embedder
from service.recommender import Recommender
from service.reindex import Reindexer
from service.related import RelatedCommunities
from service.request_ids import install_request_ids
from service.routes import admin, chat, communities, erasure, health, members, mentors, recommend
from service.snapshots import SnapshotHolder
from service.web import install_web
from store.db import connect_store
from store.settings import Settings

log = logging.getLogger(__name__)


def build_context(settings: Settings, encoder: Encoder | None = None) -> ServiceContext:
    """Open the store, the index holder and the encoder the app will use.

    Experts and solutions embed their queries as COPMATCH_QUERY_ENCODER says; mentor topics and
    related communities always with the model, which static vectors serve less well there.
    Everything that returns members reads the live view (service.live) of the served version.
    """
    sessions = connect_store(settings)
    encoder = encoder or make_encoder(settings)
    served = SnapshotHolder(settings.index_dir)
    holder = LiveHolder(served, sessions)
    exposure = (
        ExposureTracker(sessions, settings.load_window_days, settings.exposure_sync_seconds)
        if settings.load_spreading
        else None
    )
    queries = query_embedder(settings, encoder)
    recommender = Recommender(holder, queries, exposure)
    reindexer = Reindexer.for_settings(settings)
    mentoring = Mentoring(holder, encoder, sessions, exposure)
    related = RelatedCommunities(holder, encoder)
    preferences = MemberPreferences(sessions, holder)
    return ServiceContext(
        settings,
        sessions,
        holder,
        recommender,
        reindexer,
        Metrics(),
        mentoring,
        related,
        preferences,
        Mentorships(sessions),
    )


def create_app(settings: Settings | None = None, *, context: ServiceContext | None = None) -> FastAPI:
    """Build the app; tests pass their own settings or a ready context."""
    context = context or build_context(settings or Settings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        context.holder.refresh()
        yield
        if context.recommender.exposure:
            context.recommender.exposure.flush()

    app = FastAPIOffline(  # /docs and /redoc served with their assets: no CDN, works on an intranet
        title="copmatch",
        version="1",
        lifespan=lifespan,
        description="Who knows what in your communities of practice.",
    )
    app.state.context = context
    app.state.keys = KeyCache(context.sessions, lambda: context.holder.state().revision)
    install_error_handlers(app)
    install_metrics(app, context.metrics)
    install_request_ids(app)
    mentors.install_error_handlers(app)
    members.install_error_handlers(app)
    erasure.install_error_handlers(app)
    for module in (health, recommend, members, admin, erasure, mentors, communities, chat):
        app.include_router(module.router)
    install_web(app, context.settings)
    return app
