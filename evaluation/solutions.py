"""Similar past solutions on a StackExchange dump: PostLinks as relevance.

A question that links to another question (PostLinks: linked or duplicate) whose accepted answer
exists should get that accepted answer among its solutions. The index holds the whole dump; the
query question's own thread is dropped from every method's results, since its own accepted answer
would trivially match it. Query = the question's title and body, through `Recommender.solutions`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ir_measures import Qrel
from tqdm import tqdm

from evaluation.baselines import DEPTH, tfidf_vectorizer
from evaluation.metrics import SOLUTION_MEASURES, Rankings, score_runs
from evaluation.protocol import question_text
from evaluation.report import Table
from evaluation.workspace import QUERY_VECTORS, QueryCache, Workspace, prepare_workspace
from models.encoder import Encoder
from models.experts import ExpertWeights
from service.queries import query_embedder
from service.recommender import Recommender
from store.importers.records import Batch, ContributionRecord
from store.importers.stackexchange import read_post_links
from store.settings import Settings

LINK_TYPES = {1: "linked", 3: "duplicate"}


@dataclass
class SolutionQuery:
    """A question and the accepted answers of the questions it links to."""

    id: str
    text: str
    relevant: set[str]


def thread_roots(records: Sequence[ContributionRecord]) -> dict[str, str]:
    """Each contribution's thread: the root reached by following parent_id."""
    parent = {r.id: r.parent_id for r in records}
    roots: dict[str, str] = {}
    for cid in parent:
        node = cid
        while (up := parent.get(node)) is not None:
            node = up
        roots[cid] = node
    return roots


def solution_queries(
    records: Sequence[ContributionRecord], links: Sequence[tuple[str, str, int]]
) -> list[SolutionQuery]:
    """Questions whose linked or duplicate questions have an accepted answer, by question id."""
    questions = {r.id: r for r in records if r.kind == "question"}
    accepted = {r.parent_id: r.id for r in records if r.kind == "answer" and r.accepted}
    relevant: dict[str, set[str]] = {}
    for post, related, link_type in links:
        if link_type in LINK_TYPES and post in questions and related != post and related in accepted:
            relevant.setdefault(post, set()).add(accepted[related])
    return [
        SolutionQuery(qid, question_text(questions[qid]), answers)
        for qid, answers in sorted(relevant.items())
    ]


def _reusable_texts(records: Sequence[ContributionRecord]) -> dict[str, str]:
    """Accepted answers with their question's title and body, as TF-IDF documents."""
    questions = {r.id: r for r in records if r.kind == "question"}
    texts = {}
    for r in records:
        if r.kind == "answer" and r.accepted and r.parent_id in questions:
            q = questions[r.parent_id]
            texts[r.id] = f"{q.title}\n{q.body}\n{r.body}"
    return texts


def tfidf_rankings(
    records: Sequence[ContributionRecord], queries: Sequence[SolutionQuery], roots: dict[str, str]
) -> Rankings:
    """Accepted answers by TF-IDF cosine to the query, its own thread left out."""
    documents = _reusable_texts(records)
    ids = list(documents)
    vectorizer = tfidf_vectorizer()
    matrix = vectorizer.fit_transform(documents.values())
    similarity = (vectorizer.transform([q.text for q in queries]) @ matrix.T).toarray()
    rankings = {}
    for query, row in zip(queries, similarity, strict=True):
        order = [ids[i] for i in (-row).argsort(kind="stable") if row[i] > 0]
        rankings[query.id] = [d for d in order if roots[d] != query.id][:DEPTH]
    return rankings


def service_rankings(
    workspace: Workspace,
    encoder: QueryCache,
    queries: Sequence[SolutionQuery],
    roots: dict[str, str],
    weights: ExpertWeights,
) -> Rankings:
    """Each query through `Recommender.solutions`; the query's own thread left out."""
    embedder = query_embedder(workspace.settings, encoder)
    recommender = Recommender(workspace.holder, embedder, None, weights)
    rankings = {}
    for query in tqdm(queries, desc="solutions", unit="question", leave=False):
        items = recommender.solutions(query.text, DEPTH + 1).items
        found = [item["contribution_id"] for item in items]
        rankings[query.id] = [c for c in found if roots.get(c) != query.id][:DEPTH]
    return rankings


def evaluate_solutions(
    name: str,
    dump: Path,
    batch: Batch,
    work_dir: Path,
    out_dir: Path,
    encoder: Encoder,
    settings: Settings,
) -> Table:
    """Score the service and the TF-IDF baseline on a dump's PostLinks.

    Args:
        name: the dataset's name, for the report.
        dump: the dump folder (for PostLinks.xml).
        batch: the dump's records, as the StackExchange importer reads them.
        work_dir: the workspace holding the whole dump; reused on a rerun.
        out_dir: where runs and qrels go.
        encoder: embeds the index and the queries.
        settings: model and encoder options.
    Returns:
        The table: rows tfidf, copmatch, copmatch -lexical; columns MRR, P@1, R@10.
    """
    records = [item.record for item in batch.contributions]
    queries = solution_queries(records, read_post_links(dump))
    if not queries:
        raise ValueError(f"{dump / 'PostLinks.xml'}: no link leads to a question with an accepted answer")
    roots = thread_roots(records)
    workspace = prepare_workspace(work_dir, batch, encoder, settings)
    cache = QueryCache(encoder, [q.text for q in queries], work_dir / QUERY_VECTORS)
    base = ExpertWeights()
    runs = {
        "tfidf": tfidf_rankings(records, queries, roots),
        "copmatch": service_rankings(workspace, cache, queries, roots, base),
        "copmatch -lexical": service_rankings(
            workspace,
            cache,
            queries,
            roots,
            replace(base, fusion=replace(base.fusion, use_lexical=False)),
        ),
    }
    qrels = [Qrel(q.id, answer, 1) for q in queries for answer in sorted(q.relevant)]
    rows = score_runs(out_dir, qrels, runs, SOLUTION_MEASURES, [q.id for q in queries])
    notes = [
        f"dataset: {name}; index = the whole dump ({len(records)} contributions)",
        f"{len(queries)} questions link (linked, duplicate) to a question with an accepted answer; "
        f"{len(qrels)} relevant accepted answers",
        f"the query question's own thread is left out of every ranking; rankings cut at depth {DEPTH}",
    ]
    return Table(f"Similar solutions: {name}", list(SOLUTION_MEASURES), rows, notes)
