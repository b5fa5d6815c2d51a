"""Expert finding under the spec's protocol: baselines, the service and its ablations.

The service is driven through `Recommender.experts`, the facade the HTTP route calls, over an
index the real indexing job built from the contributions before the cutoff. Queries run in test
order; with load spreading live, an ExposureTracker records the first page each query returns
(the API's default k), as production does. The tracker's window is wall-clock days, so the whole
test period falls in one window: a stronger load-spreading effect than production would see.
"""

from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from evaluation.ablations import Variant, expert_variants
from evaluation.baselines import DEPTH, History, history_of, popularity, tfidf_similarity, voting
from evaluation.ceiling import ranker_ceiling
from evaluation.metrics import EXPERT_MEASURES, Rankings, score_runs
from evaluation.protocol import ExpertSplit, HeldOutQuestion, before, split_experts
from evaluation.report import Table
from evaluation.workspace import QUERY_VECTORS, QueryCache, Workspace, prepare_workspace
from models.encoder import Encoder
from models.experts import ExpertWeights
from models.ranker_training import learn_ranker
from service.exposure import ExposureTracker
from service.queries import query_embedder
from service.recommender import Recommender
from service.schemas import ExpertQuery
from store.importers.records import Batch
from store.settings import Settings

PAGE = ExpertQuery.model_fields["k"].default  # what a user sees per request


class PageExposure(ExposureTracker):
    """Counts the first page of each request only: the API caller asks for PAGE experts."""

    def record(self, member_ids: list[str]) -> None:
        """Count the members a caller of the API's default k would have been shown."""
        super().record(member_ids[:PAGE])


def variant_weights(workspace: Workspace, variant: Variant) -> ExpertWeights:
    """The variant's knobs; one that changes what the ranker sees gets a ranker learned anew for it."""
    weights = variant.weights
    if weights.ranker is not None or replace(weights, use_load_spreading=True) == ExpertWeights():
        return weights
    snapshot = workspace.holder.get()
    return replace(weights, ranker=learn_ranker(snapshot, workspace.all_vectors(), weights))


def service_rankings(
    workspace: Workspace, encoder: QueryCache, tests: list[HeldOutQuestion], variant: Variant
) -> Rankings:
    """Each test question, in order, through `Recommender.experts` (the asker excluded)."""
    exposure = None
    if variant.exposure:
        settings = workspace.settings
        exposure = PageExposure(workspace.sessions, settings.load_window_days, settings.exposure_sync_seconds)
    weights = variant_weights(workspace, variant)
    embedder = query_embedder(workspace.settings, encoder)  # type: ignore[arg-type]
    recommender = Recommender(workspace.holder, embedder, exposure, weights)
    rankings = {}
    for q in tqdm(tests, desc=variant.name, unit="question", leave=False):
        found = recommender.experts(q.text, DEPTH, exclude=[q.asker])
        rankings[q.id] = [item["member_id"] for item in found.items]
    return rankings


def baseline_rankings(
    workspace: Workspace, encoder: QueryCache, history: History, tests: list[HeldOutQuestion]
) -> dict[str, Rankings]:
    """Popularity, TF-IDF voting and dense voting (earlier questions: the index's vectors)."""
    texts = [q.text for q in tests]
    dense = encoder.matrix(texts) @ workspace.vectors(history.question_ids).T
    return {
        "popularity": popularity(history, tests),
        "tfidf-voting": voting(tfidf_similarity(history.texts, texts), history, tests),
        "dense-voting": voting(dense, history, tests),
    }


def split_notes(name: str, split: ExpertSplit, known: Batch) -> list[str]:
    """What the table was measured on."""
    return [
        f"dataset: {name}; cutoff T = {split.cutoff.isoformat()}",
        f"service built from {len(known.contributions)} contributions created before T",
        f"test questions: {split.n_tests}; kept {len(split.kept)}, dropped {len(split.dropped)} "
        "(accepted answerer never answered before T, or no accepted answer)",
        f"rankings cut at depth {DEPTH}; MRR, P@1 and R@10 against the accepted answerer, "
        "NDCG@10 graded (accepted 2, other answerers 1)",
    ]


def evaluate_experts(
    name: str, batch: Batch, work_dir: Path, out_dir: Path, encoder: Encoder, settings: Settings
) -> Table:
    """Run the protocol on a dataset: every method's metrics, TREC runs and qrels under out_dir.

    Args:
        name: the dataset's name, for the report.
        batch: the whole dataset (validated records).
        work_dir: the workspace of the dataset's time split; reused on a rerun.
        out_dir: where runs and qrels go.
        encoder: embeds the index and the queries.
        settings: model and encoder options (home and database are the workspace's own).
    Returns:
        The table: one row per method, columns MRR, P@1, NDCG@10, R@10.
    """
    split = split_experts([item.record for item in batch.contributions])
    known = before(batch, split.cutoff)
    workspace = prepare_workspace(work_dir, known, encoder, settings)
    queries = QueryCache(encoder, [q.text for q in split.kept], work_dir / QUERY_VECTORS)
    history = history_of([item.record for item in known.contributions])
    runs = baseline_rankings(workspace, queries, history, split.kept)
    for variant in tqdm(expert_variants(), desc="service variants", unit="variant"):
        runs[variant.name] = service_rankings(workspace, queries, split.kept, variant)
    qrels = split.qrels()
    rows = score_runs(out_dir, qrels, runs, EXPERT_MEASURES, [q.id for q in split.kept])
    embedder = query_embedder(workspace.settings, queries)  # type: ignore[arg-type]
    ceiling = ranker_ceiling(workspace.holder.get(), embedder, split.kept)
    notes = [*split_notes(name, split, known), ceiling.note()]
    return Table(f"Expert finding: {name}", list(EXPERT_MEASURES), rows, notes)
