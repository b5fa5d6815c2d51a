"""The router as `copmatch route` runs it, put together from the settings."""

from collections.abc import Callable
from datetime import timedelta

from indexing.job import make_encoder
from service.exposure import ExposureTracker
from service.live import LiveHolder
from service.queries import query_embedder
from service.recommender import Recommender
from service.routing import Poster, Router, RouteRules
from service.slack_web import SlackPoster, WrittenPoster
from service.snapshots import SnapshotHolder
from store.db import open_store
from store.settings import Settings


def route_rules(settings: Settings) -> RouteRules:
    """The routing rules the settings give."""
    return RouteRules(
        delay=timedelta(hours=settings.route_delay_hours),
        max_age=timedelta(days=settings.route_max_age_days) if settings.route_max_age_days else None,
        experts=settings.route_experts,
        window=timedelta(days=settings.route_window_days),
    )


def build_router(settings: Settings, write: Callable[[str], None], poster: Poster | None = None) -> Router:
    """A router over the store and the live view of the current index (opt-outs and away members
    apply at once, as in the service): Slack when a bot token is set, else `write`."""
    sessions = open_store(settings)
    served = SnapshotHolder(settings.index_dir)
    exposure = (
        ExposureTracker(sessions, settings.load_window_days, settings.exposure_sync_seconds)
        if settings.load_spreading
        else None
    )
    queries = query_embedder(settings, make_encoder(settings))
    recommender = Recommender(LiveHolder(served, sessions), queries, exposure)
    if poster is None:
        token = settings.slack_bot_token
        poster = SlackPoster(token) if token else WrittenPoster(write)
    return Router(sessions, recommender, poster, route_rules(settings))
