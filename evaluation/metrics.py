"""Ranking metrics through ir-measures, TREC run and qrels files, and the Gini coefficient.

ir-measures counts relevance >= 1 as relevant unless told otherwise, so the measures against the
accepted answerer alone use `rel=2`; nDCG@10 uses the graded relevance (trec_eval's linear gain).
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import ir_measures
import numpy as np
import numpy.typing as npt
from ir_measures import RR, Measure, P, Qrel, R, ScoredDoc, nDCG
from scipy import stats

Rankings = Mapping[str, Sequence[str]]  # query id -> document (member) ids, best first

EXPERT_MEASURES = {
    "MRR": RR(rel=2),
    "P@1": P(rel=2) @ 1,
    "NDCG@10": nDCG @ 10,
    "R@10": R(rel=2) @ 10,
}
SOLUTION_MEASURES = {"MRR": RR, "P@1": P @ 1, "R@10": R @ 10}


def scored_docs(rankings: Rankings) -> list[ScoredDoc]:
    """Rankings as scored documents; scores fall with rank so no tie can reorder them."""
    return [
        ScoredDoc(query, doc, float(len(ranked) - rank))
        for query, ranked in rankings.items()
        for rank, doc in enumerate(ranked)
    ]


def per_query(
    qrels: Sequence[Qrel],
    rankings: Rankings,
    measures: Mapping[str, Measure],
    queries: Sequence[str],
) -> dict[str, np.ndarray]:
    """Each measure's value per query, in `queries` order; a query missing from the run or the qrels is 0.

    Args:
        qrels: the graded relevance judgements.
        rankings: each query's ranked documents.
        measures: column name -> ir-measures measure.
        queries: the query ids (the kept test questions).
    Returns:
        Column name -> one value per query.
    """
    name_of = {measure: name for name, measure in measures.items()}
    position = {query: i for i, query in enumerate(queries)}
    values = {name: np.zeros(len(queries)) for name in measures}
    for metric in ir_measures.iter_calc(list(measures.values()), list(qrels), scored_docs(rankings)):
        if metric.query_id in position:
            values[name_of[metric.measure]][position[metric.query_id]] = metric.value
    return values


def evaluate(
    qrels: Sequence[Qrel],
    rankings: Rankings,
    measures: Mapping[str, Measure],
    queries: Iterable[str],
) -> dict[str, float]:
    """Mean of each measure over `queries`; a query missing from the run or the qrels scores 0."""
    values = per_query(qrels, rankings, measures, list(queries))
    return {name: float(v.mean()) if v.size else 0.0 for name, v in values.items()}


def bootstrap_interval(values: npt.ArrayLike, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-query values (scipy, 2,000 resamples)."""
    data = np.asarray(values, dtype=np.float64)
    if data.size < 2 or np.ptp(data) == 0:
        mean = float(data.mean()) if data.size else 0.0
        return mean, mean
    result = stats.bootstrap(
        (data,), np.mean, confidence_level=level, n_resamples=2000, method="percentile", rng=seed
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def write_trec_run(path: Path, rankings: Rankings, tag: str) -> None:
    """A TREC run file: `query Q0 doc rank score tag`, one line per ranked document."""
    with open(path, "w", encoding="utf-8") as out:
        for query, ranked in rankings.items():
            for rank, doc in enumerate(ranked, start=1):
                out.write(f"{query} Q0 {doc} {rank} {len(ranked) - rank + 1} {tag}\n")


def read_trec_run(path: Path) -> dict[str, list[str]]:
    """Rankings back from a TREC run file, best first."""
    scored: dict[str, list[tuple[float, str]]] = {}
    for doc in ir_measures.read_trec_run(str(path)):
        scored.setdefault(doc.query_id, []).append((-doc.score, doc.doc_id))
    return {query: [doc for _, doc in sorted(docs)] for query, docs in scored.items()}


def write_trec_qrels(path: Path, qrels: Iterable[Qrel]) -> None:
    """A TREC qrels file: `query 0 doc relevance`."""
    with open(path, "w", encoding="utf-8") as out:
        for qrel in qrels:
            out.write(f"{qrel.query_id} 0 {qrel.doc_id} {qrel.relevance}\n")


def score_runs(
    out_dir: Path,
    qrels: Sequence[Qrel],
    runs: Mapping[str, Rankings],
    measures: Mapping[str, Measure],
    queries: Sequence[str],
) -> list[tuple[str, dict[str, float]]]:
    """Write the qrels and one TREC run per method under `out_dir`; each method's mean measures.

    Args:
        out_dir: gets `qrels.txt` and `runs/METHOD.run` (spaces dropped from the name).
        qrels: the relevance judgements.
        runs: method name -> its rankings.
        measures: column name -> ir-measures measure.
        queries: the query ids to average over.
    Returns:
        (method, column -> mean value), in the order of `runs`.
    """
    (out_dir / "runs").mkdir(parents=True, exist_ok=True)
    write_trec_qrels(out_dir / "qrels.txt", qrels)
    rows = []
    for method, rankings in runs.items():
        tag = method.replace(" ", "")
        write_trec_run(out_dir / "runs" / f"{tag}.run", rankings, tag)
        rows.append((method, evaluate(qrels, rankings, measures, queries)))
    return rows


def gini(counts: Sequence[float]) -> float:
    """Gini coefficient of non-negative counts: 0 = perfectly even, near 1 = all on one.

    Mean absolute difference over all ordered pairs divided by twice the mean; 0 for no exposure.
    """
    values = np.sort(np.asarray(counts, dtype=np.float64))
    n, total = len(values), float(values.sum()) if len(values) else 0.0
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * values) / (n * total))
