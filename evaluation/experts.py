"""Expert finding under the spec's protocol: baselines, the service and its ablations.

The service is driven through `Recommender.experts`, the facade the HTTP route calls, over an
index the real indexing job built from the contributions before the cutoff. Queries run in test
order; with load spreading live, an ExposureTracker records the first page each query returns
(the API's default k), as production does. The tracker's window is wall-clock days, so the whole
test period falls in one window: a stronger load-spreading effect than production would see.
"""

from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from evaluation.ablations import Variant, expert_variants
from evaluation.baselines import DEPTH, History, history_of, popularity, tfidf_similarity, voting
from evaluation.ceiling import Ceiling, ranker_ceiling
from evaluation.metrics import EXPERT_MEASURES, Rankings, bootstrap_interval, evaluate, per_query, score_runs
from evaluation.protocol import ExpertSplit, HeldOutQuestion, before, split_experts
from evaluation.report import Cell, Table
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
BASELINES = ("popularity", "tfidf-voting", "dense-voting")
INTERVAL = "MRR 95% CI"
MRR_ONLY = {"MRR": EXPERT_MEASURES["MRR"]}


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
    embedder = query_embedder(workspace.settings, encoder)
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


@dataclass
class Window:
    """One cutoff of a rolling-origin evaluation: its split, what the service knew, every method's runs."""

    split: ExpertSplit
    contributions: int  # created before the cutoff: what the service was built from
    runs: dict[str, Rankings]
    ceiling: Ceiling


def evaluate_window(
    batch: Batch, back: int, work_dir: Path, encoder: Encoder, settings: Settings, ablations: bool
) -> Window:
    """The protocol at the cutoff `back` tenths before the spec's: the service built from before it.

    Without `ablations`, only copmatch and its default weights run beside the baselines.
    """
    split = split_experts([item.record for item in batch.contributions], back)
    known = before(batch, split.cutoff)
    workspace = prepare_workspace(work_dir, known, encoder, settings)
    queries = QueryCache(encoder, [q.text for q in split.kept], work_dir / QUERY_VECTORS)
    history = history_of([item.record for item in known.contributions])
    runs = baseline_rankings(workspace, queries, history, split.kept)
    variants = expert_variants() if ablations else expert_variants()[:2]
    for variant in tqdm(variants, desc="service variants", unit="variant"):
        runs[variant.name] = service_rankings(workspace, queries, split.kept, variant)
    embedder = query_embedder(workspace.settings, queries)
    ceiling = ranker_ceiling(workspace.holder.get(), embedder, split.kept)
    return Window(split, len(known.contributions), runs, ceiling)


def window_mrr(window: Window) -> dict[str, float]:
    """Each method's MRR over the window's own kept questions."""
    ids = [q.id for q in window.split.kept]
    return {m: evaluate(window.split.qrels(), r, MRR_ONLY, ids)["MRR"] for m, r in window.runs.items()}


def window_note(number: int, window: Window, mrr: dict[str, float]) -> str:
    """One line per window: its cutoff, questions kept and dropped, copmatch against the best baseline."""
    split = window.split
    best = max(BASELINES, key=lambda method: mrr[method])
    return (
        f"window {number}: cutoff T = {split.cutoff.isoformat()}, service built from {window.contributions}"
        f" contributions; test questions {split.n_tests}, kept {len(split.kept)}, dropped"
        f" {len(split.dropped)}; MRR copmatch {mrr['copmatch']:.3f}, {best} {mrr[best]:.3f};"
        f" candidates hold the accepted answerer for {window.ceiling.in_pool}, oracle MRR"
        f" {window.ceiling.oracle_mrr:.3f}"
    )


def pooled_notes(name: str, windows: list[Window], mrr_by_window: list[dict[str, float]]) -> list[str]:
    """What the table was measured on: one line per window, then the pooled counts."""
    kept = sum(len(w.split.kept) for w in windows)
    tests = sum(w.split.n_tests for w in windows)
    notes = [f"dataset: {name}; {len(windows)} rolling-origin windows of a tenth of the questions each"]
    notes += [window_note(i + 1, w, m) for i, (w, m) in enumerate(zip(windows, mrr_by_window, strict=True))]
    notes += [
        f"pooled: {kept} kept of {tests} test questions (dropped: accepted answerer never answered"
        " before its window's T, or no accepted answer); MRR 95% CI: percentile bootstrap over them",
        f"rankings cut at depth {DEPTH}; MRR, P@1 and R@10 against the accepted answerer, "
        "NDCG@10 graded (accepted 2, other answerers 1)",
    ]
    return notes


def split_notes(name: str, window: Window) -> list[str]:
    """What a single-window table was measured on (the spec's protocol)."""
    split = window.split
    return [
        f"dataset: {name}; cutoff T = {split.cutoff.isoformat()}",
        f"service built from {window.contributions} contributions created before T",
        f"test questions: {split.n_tests}; kept {len(split.kept)}, dropped {len(split.dropped)} "
        "(accepted answerer never answered before T, or no accepted answer)",
        f"rankings cut at depth {DEPTH}; MRR, P@1 and R@10 against the accepted answerer, "
        "NDCG@10 graded (accepted 2, other answerers 1); MRR 95% CI: percentile bootstrap",
        window.ceiling.note(),
    ]


def evaluate_experts(
    name: str,
    batch: Batch,
    work_dir: Path,
    out_dir: Path,
    encoder: Encoder,
    settings: Settings,
    windows: int = 1,
    ablations: bool = True,
) -> Table:
    """Run the protocol on a dataset: every method's metrics, TREC runs and qrels under out_dir.

    With `windows` > 1 the protocol is repeated at successive cutoffs a tenth of the questions
    apart (oldest first, so the workspace only grows), each built from everything before it, and
    the kept questions of every window are pooled.

    Args:
        name: the dataset's name, for the report.
        batch: the whole dataset (validated records).
        work_dir: the workspace of the dataset's time split; reused on a rerun.
        out_dir: where runs and qrels go.
        encoder: embeds the index and the queries.
        settings: model and encoder options (home and database are the workspace's own).
        windows: how many cutoffs; 1 is the spec's protocol.
        ablations: run every signal switched off too (a learned ranker each: slow on large data).
    Returns:
        The table: one row per method, columns MRR, its interval, P@1, NDCG@10, R@10.
    """
    if windows < 1:
        raise ValueError(f"windows must be at least 1, got {windows}")
    done = [
        evaluate_window(batch, back, work_dir, encoder, settings, ablations)
        for back in reversed(range(windows))
    ]
    done.reverse()  # window 1 is the spec's (latest) cutoff
    qrels = [qrel for w in done for qrel in w.split.qrels()]
    ids = [q.id for w in done for q in w.split.kept]
    runs = {method: {q: r for w in done for q, r in w.runs[method].items()} for method in done[0].runs}
    rows: list[tuple[str, dict[str, Cell]]] = []
    for method, values in score_runs(out_dir, qrels, runs, EXPERT_MEASURES, ids):
        low, high = bootstrap_interval(per_query(qrels, runs[method], MRR_ONLY, ids)["MRR"])
        rows.append((method, {**values, INTERVAL: f"{low:.3f}-{high:.3f}"}))
    by_window = [window_mrr(w) for w in done]
    notes = split_notes(name, done[0]) if windows == 1 else pooled_notes(name, done, by_window)
    columns = ["MRR", INTERVAL, *list(EXPERT_MEASURES)[1:]]
    return Table(f"Expert finding: {name}", columns, rows, notes)
