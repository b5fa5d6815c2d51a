"""Prometheus metrics: requests and latency per route, index version and age."""

import time

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)


class Metrics:
    """A registry per app, so several apps (tests) never collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "copmatch_requests_total",
            "HTTP requests",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "copmatch_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.index_version = Gauge(
            "copmatch_index_version", "index version served", registry=self.registry
        )
        self.index_age = Gauge(
            "copmatch_index_age_seconds", "age of the served index", registry=self.registry
        )

    def render(self) -> Response:
        """The exposition text."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def install_metrics(app: FastAPI, metrics: Metrics) -> None:
    """Time every request and count it under its route template (not the raw path)."""

    @app.middleware("http")
    async def measure(request: Request, call_next):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.latency.labels(path).observe(time.perf_counter() - start)
        metrics.requests.labels(path, request.method, str(response.status_code)).inc()
        return response
