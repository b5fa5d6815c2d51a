"""Feedback replay on the demo organization: does feedback move the expert ranking the right way,
and does it stay put when feedback training is off?

Simulated members: the SIMULATED members most often suggested first never respond; the next
SIMULATED always help. Every planted sample question of an even position is "asked": its top
SUGGESTED experts get the outcome their kind dictates (others: no feedback), stored through
the real feedback path; the index is rebuilt (the ranker learns from the feedback) and the
sample questions of odd positions, never asked, are ranked again. Then the index is rebuilt
with COPMATCH_FEEDBACK_TRAINING off. Figures: the share of top-SUGGESTED places each group
holds, MRR of the planted experts, and the share of rankings identical to the first.
"""

from collections import Counter
from pathlib import Path

import numpy as np

from evaluation.report import Table
from evaluation.workspace import Workspace, prepare_workspace
from indexing.job import run_index
from models.encoder import Encoder
from service.demo.generator import generate_demo
from service.demo.plan import Size
from service.queries import query_embedder
from service.recommender import Recommender
from service.snapshots import SnapshotHolder
from store.feedback import add_feedback
from store.importers.bundle import read_bundle
from store.settings import Settings

SIMULATED = 5
SUGGESTED = 3
SHOWN = 10
COLUMNS = ["never-respond share", "always-help share", "MRR planted", "identical"]


def _questions(truth: dict) -> list[tuple[str, set[str]]]:
    """(question, its planted experts), every topic's sample questions in order."""
    return [(q, set(t["experts"])) for t in truth["topics"].values() for q in t["sample_questions"]]


def _rank(workspace: Workspace, encoder: Encoder, questions: list[tuple[str, set[str]]]) -> list[list[str]]:
    """The member ids the service ranks for each question, best first, on the current version."""
    holder = SnapshotHolder(workspace.settings.index_dir)  # loads the newest version now
    recommender = Recommender(holder, query_embedder(workspace.settings, encoder))
    return [[e["member_id"] for e in recommender.experts(q, SHOWN).items] for q, _ in questions]


def _figures(
    rankings: list[list[str]],
    questions: list[tuple[str, set[str]]],
    never: set[str],
    always: set[str],
    first: list[list[str]],
) -> dict[str, float]:
    """The table row of one set of rankings."""
    places = max(1, SUGGESTED * len(rankings))
    top = [m for ranking in rankings for m in ranking[:SUGGESTED]]
    ranks = [
        next((1 / (i + 1) for i, m in enumerate(ranking) if m in experts), 0.0)
        for ranking, (_, experts) in zip(rankings, questions, strict=True)
    ]
    return {
        "never-respond share": sum(m in never for m in top) / places,
        "always-help share": sum(m in always for m in top) / places,
        "MRR planted": float(np.mean(ranks)),
        "identical": float(np.mean([a == b for a, b in zip(rankings, first, strict=True)])),
    }


def evaluate_feedback_replay(
    work: Path, encoder: Encoder, settings: Settings, size: Size = "default"
) -> Table:
    """The feedback replay on a demo organization of `size` (see the module docstring)."""
    demo = generate_demo(seed=7, size=size)
    demo.write_bundle(work / "demo")
    base = settings.model_copy(update={"feedback_training": True})
    workspace = prepare_workspace(work, read_bundle(work / "demo"), encoder, base)
    questions = _questions(demo.truth)
    asked, held_out = questions[::2], questions[1::2]
    first_asked, before = _rank(workspace, encoder, asked), _rank(workspace, encoder, held_out)
    leaders = Counter(m for ranking in first_asked for m in ranking[:SUGGESTED]).most_common(2 * SIMULATED)
    never = {m for m, _ in leaders[:SIMULATED]}
    always = {m for m, _ in leaders[SIMULATED:]}
    cases = 0
    for (question, _), ranking in zip(asked, first_asked, strict=True):
        for member in ranking[:SUGGESTED]:
            if member in never or member in always:
                verdict = "helpful" if member in always else "no_response"
                add_feedback(
                    workspace.sessions,
                    recommendation="experts",
                    item_id=member,
                    verdict=verdict,
                    query=question,
                    index_version=None,
                    api_key_name="replay",
                )
                cases += 1
    run_index(workspace.settings, encoder=encoder, progress=False)
    learned = _rank(workspace, encoder, held_out)
    off = workspace.settings.model_copy(update={"feedback_training": False})
    run_index(off, encoder=encoder, progress=False)
    switched_off = _rank(workspace, encoder, held_out)
    rows = [
        ("no feedback", _figures(before, held_out, never, always, before)),
        ("feedback on", _figures(learned, held_out, never, always, before)),
        ("feedback off", _figures(switched_off, held_out, never, always, before)),
    ]
    notes = [
        f"demo organization ({size}): {len(asked)} sample questions asked, {len(held_out)} held out, ranked",
        f"{cases} feedback cases: the {SIMULATED} members most often suggested never respond,"
        f" the next {SIMULATED} always help; shares are of the top-{SUGGESTED} places",
        "identical: rankings (top 10) equal to those before any feedback",
    ]
    return Table(f"Feedback replay: demo ({size})", COLUMNS, rows, notes)
