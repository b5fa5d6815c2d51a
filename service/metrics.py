"""Prometheus metrics: requests and latency per route, index version and age.

With several service processes (`copmatch serve --workers N`) PROMETHEUS_MULTIPROC_DIR is set
and every process writes its samples there; /metrics, whichever process answers, sums them all.
"""

import os
import time

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


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
            "copmatch_index_version",
            "index version served",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )
        self.index_age = Gauge(
            "copmatch_index_age_seconds",
            "age of the served index",
            registry=self.registry,
            multiprocess_mode="mostrecent",
        )

    def render(self) -> Response:
        """The exposition text: this process's metrics, or every process's in multiprocess mode."""
        registry = self.registry
        if os.environ.get(MULTIPROCESS_ENV):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class _MetricsMiddleware:
    """Pure ASGI middleware (no per-request task or body copies): times every HTTP request and
    counts it under its route template (not the raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.latency.labels(path).observe(time.perf_counter() - start)
            self.metrics.requests.labels(path, scope["method"], str(status)).inc()


def install_metrics(app: FastAPI, metrics: Metrics) -> None:
    """Time and count every request (see _MetricsMiddleware)."""
    app.add_middleware(_MetricsMiddleware, metrics=metrics)
