"""Mentor matching, by proxy: does a newcomer's first question get its accepted answerer as mentor?

Newcomers are the askers of kept test questions (spec protocol) whose first contribution is that
question. Each asks `Mentoring.mentors` (the mentor facade) with the question as their goals, in
test order, with load spreading live as production runs it; the plain expert ranking
(`Recommender.experts`) is the comparison. The datasets record no mentor capacity, so every
member is given MENTOR_CAPACITY: level, evidence, timezone, language and load decide.
Exposure evenness: the Gini coefficient of how often each member appears on the first page
(the API's default k), over the eligible mentors plus everyone either method suggested.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from ir_measures import RR, Qrel, R
from tqdm import tqdm

from evaluation.baselines import DEPTH
from evaluation.experts import PAGE, PageExposure
from evaluation.metrics import Rankings, gini, score_runs
from evaluation.protocol import HeldOutQuestion, before, split_experts
from evaluation.report import Table
from evaluation.workspace import QUERY_VECTORS, QueryCache, Workspace, prepare_workspace
from models.encoder import Encoder
from models.mentors import eligible_mentors
from models.snapshot import Snapshot
from service.mentoring import Mentoring
from service.queries import query_embedder
from service.recommender import Recommender
from service.snapshots import SnapshotHolder
from store.importers.records import Batch, ContributionRecord
from store.settings import Settings

MENTOR_CAPACITY = 3
MEASURES = {"MRR": RR, "R@10": R @ 10}


class CapacityHolder:
    """Serves the workspace's snapshots with every member's mentor capacity set to `capacity`."""

    def __init__(self, holder: SnapshotHolder, capacity: int) -> None:
        self.holder = holder
        self.capacity = capacity
        self._served: tuple[int, Snapshot] | None = None

    def get(self) -> Snapshot:
        """The current snapshot with the capacities replaced (once per version)."""
        snapshot = self.holder.get()
        if self._served is None or self._served[0] != snapshot.version:
            members = replace(snapshot.members, mentor_capacity=[self.capacity] * len(snapshot.members))
            self._served = (snapshot.version, replace(snapshot, members=members))
        return self._served[1]


def newcomer_questions(
    records: Sequence[ContributionRecord], kept: Sequence[HeldOutQuestion]
) -> list[HeldOutQuestion]:
    """Kept test questions that are their asker's first contribution."""
    first: dict[str, str] = {}
    for r in sorted(records, key=lambda r: (r.created_at, r.id)):
        first.setdefault(r.author_id, r.id)
    return [q for q in kept if first.get(q.asker) == q.id]


def mentor_rankings(mentoring: Mentoring, questions: Sequence[HeldOutQuestion]) -> Rankings:
    """Each newcomer's suggested mentors for their question, in test order."""
    return {
        q.id: [m["member_id"] for m in mentoring.mentors(DEPTH, member_id=q.asker, text=q.text).items]
        for q in tqdm(questions, desc="mentors", unit="newcomer", leave=False)
    }


def expert_rankings(recommender: Recommender, questions: Sequence[HeldOutQuestion]) -> Rankings:
    """The plain expert ranking for each newcomer's question (asker excluded, no load spreading)."""
    return {
        q.id: [m["member_id"] for m in recommender.experts(q.text, DEPTH, exclude=[q.asker]).items]
        for q in tqdm(questions, desc="experts", unit="newcomer", leave=False)
    }


def _exposure_rows(runs: dict[str, Rankings], pool: set[str]) -> dict[str, dict[str, float]]:
    """Gini of first-page exposure and distinct members shown, per method, over one population."""
    shown = {name: Counter(m for ranked in run.values() for m in ranked[:PAGE]) for name, run in runs.items()}
    population = sorted(pool.union(*shown.values()))
    return {
        name: {
            f"Gini@{PAGE}": gini([counts[m] for m in population]),
            f"members@{PAGE}": len(counts),
        }
        for name, counts in shown.items()
    }


def _runs(workspace: Workspace, encoder: QueryCache, questions: list[HeldOutQuestion]) -> dict[str, Rankings]:
    """The plain expert ranking, and the mentor facade with and without load spreading."""
    holder = CapacityHolder(workspace.holder, MENTOR_CAPACITY)
    settings = workspace.settings
    exposure = PageExposure(workspace.sessions, settings.load_window_days, settings.exposure_sync_seconds)
    embedder = query_embedder(workspace.settings, encoder)
    spreading = Mentoring(holder, encoder, workspace.sessions, exposure)
    plain = Mentoring(holder, encoder, workspace.sessions)
    return {
        "expert ranking": expert_rankings(Recommender(workspace.holder, embedder), questions),
        "copmatch mentors": mentor_rankings(spreading, questions),
        "copmatch mentors -load-spreading": mentor_rankings(plain, questions),
    }


def evaluate_mentors(
    name: str, batch: Batch, work_dir: Path, out_dir: Path, encoder: Encoder, settings: Settings
) -> Table:
    """Run the mentor proxy on a dataset; TREC runs and qrels go under out_dir.

    Args:
        name: the dataset's name, for the report.
        batch: the whole dataset.
        work_dir: the workspace of the dataset's time split (shared with expert finding).
        out_dir: where runs and qrels go.
        encoder: embeds the index and the queries.
        settings: model and encoder options.
    Returns:
        The table: MRR and R@10 of the accepted answerer, Gini and distinct members shown.
    """
    records = [item.record for item in batch.contributions]
    split = split_experts(records)
    questions = newcomer_questions(records, split.kept)
    if not questions:
        raise ValueError(f"{name}: no kept test question is its asker's first contribution")
    workspace = prepare_workspace(work_dir, before(batch, split.cutoff), encoder, settings)
    runs = _runs(
        workspace,
        QueryCache(encoder, [q.text for q in questions], work_dir / QUERY_VECTORS),
        questions,
    )
    snapshot = CapacityHolder(workspace.holder, MENTOR_CAPACITY).get()
    mask = eligible_mentors(snapshot, np.zeros(len(snapshot.members), np.int64), None)
    pool = {snapshot.members.ids[m] for m in np.flatnonzero(mask)}
    exposure = _exposure_rows(runs, pool)
    qrels = [Qrel(q.id, q.expert, 1) for q in questions]
    scored = score_runs(out_dir, qrels, runs, MEASURES, [q.id for q in questions])
    rows = [(method, scores | exposure[method]) for method, scores in scored]
    notes = [
        f"dataset: {name}; cutoff T = {split.cutoff.isoformat()}",
        f"{len(questions)} newcomers (a kept test question is their first contribution)",
        f"relevant: the accepted answerer; every member given mentor capacity {MENTOR_CAPACITY}",
        f"{len(pool)} eligible mentors (active or core, discoverable); Gini over them plus every "
        f"member shown on a first page ({PAGE})",
    ]
    return Table(
        f"Mentor matching (proxy): {name}",
        [*MEASURES, *exposure[next(iter(exposure))]],
        rows,
        notes,
    )
