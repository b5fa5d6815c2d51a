"""Community health on a real history: how long the report takes per community, newcomer
progression per site, topics found and at risk, and what finding the topics costs at index time.

The report is the service's own (`service.continuity.health_report`) over the workspace's
current snapshot; the topics are re-found once from its vectors to time that step alone.
"""

import time
from pathlib import Path

import numpy as np

from evaluation.report import Table
from evaluation.workspace import Workspace, prepare_workspace
from models.encoder import Encoder
from models.ranker_training import DEFAULT_WEIGHTS
from models.topics import find_topics
from service.continuity import health_report
from store.importers.records import Batch
from store.settings import Settings

COLUMNS = ["communities", "topics", "at risk", "progression", "newcomers", "p50 s", "max s", "topics s"]


def health_figures(workspace: Workspace) -> dict[str, float | int]:
    """The health report of every community, timed, and the site's (root community's) progression."""
    snapshot = workspace.holder.get()
    seconds, reports = [], []
    for row in range(len(snapshot.communities)):
        started = time.perf_counter()
        reports.append(health_report(snapshot, row))
        seconds.append(time.perf_counter() - started)
    started = time.perf_counter()
    find_topics(snapshot, np.asarray(workspace.all_vectors()), DEFAULT_WEIGHTS.evidence)
    topic_seconds = time.perf_counter() - started
    roots = [r for r, parent in enumerate(snapshot.communities.parent) if parent < 0]
    site = max(roots, key=lambda r: sum(q["contributors"] for q in reports[r]["quarters"]))
    cohorts = [c for c in reports[site]["newcomer_progression"]["cohorts"] if c["complete"]]
    return {
        "communities": len(reports),
        "topics": sum(len(r["topics"]) for r in reports),
        "at risk": sum(len(r["topics_at_risk"]) for r in reports),
        "progression": float(reports[site]["newcomer_progression"]["rate"] or 0.0),
        "newcomers": sum(c["newcomers"] for c in cohorts),
        "p50 s": float(np.median(seconds)),
        "max s": float(max(seconds)),
        "topics s": topic_seconds,
    }


def evaluate_health(
    name: str, batch: Batch, work: Path, out: Path, encoder: Encoder, settings: Settings
) -> Table:
    """The health figures of one dataset's whole history as a report table."""
    workspace = prepare_workspace(work, batch, encoder, settings)
    figures = health_figures(workspace)
    notes = [
        f"dataset: {name}, its whole history; each of its {figures['communities']} communities' report timed",
        "progression: the site's newcomers of complete quarterly cohorts who were active or core"
        " in one of the next two quarters",
        "topics s: finding every community's topics once (k-means, c-TF-IDF, holders), at index time",
    ]
    return Table(f"Community health: {name}", COLUMNS, [("copmatch", figures)], notes)
