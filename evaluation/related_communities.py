"""Related communities for held-out questions: is one of the question's own tag communities first?

Protocol: the time split of ../shared/spec/evaluation.md (the last 10% of questions are held
out; the index is built, through the real import and indexing job, from what precedes the
cutoff). Each held-out question's title and body go to the related-communities facade for a
text; relevant = the communities of its tags (ids `site/tag`). Questions without any tag
community are dropped and counted. Reported: P@1 and R@3 (share of the relevant communities in
the top 3), for copmatch (content + the text's experts' communities) and a content-only baseline
(community vectors alone).

Run: `python -m evaluation.related_communities` (both dev bundles; prints a Markdown table).
"""

import logging
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from evaluation import data as shared
from evaluation.protocol import before, held_out_questions, question_text
from evaluation.workspace import QueryCache, prepare_workspace
from indexing.job import encoder_options
from models.communities import RelatedWeights
from models.encoder import Encoder
from service.related import RelatedCommunities
from store.importers.bundle import read_bundle
from store.settings import Settings

BUNDLES = ("dba", "history")
TOP = 3
METHODS = {"copmatch": RelatedWeights(), "content only": RelatedWeights(people_weight=0.0)}

log = logging.getLogger(__name__)


def _tag_communities(community_ids: set[str], tags: list[str]) -> set[str]:
    """Ids `site/tag` of the question's tags that are communities."""
    return {cid for cid in community_ids if "/" in cid and cid.rsplit("/", 1)[1] in tags}


def evaluate_related_communities(bundle_dir: Path, work_dir: Path, encoder: Encoder) -> dict:
    """Run the protocol on one bundle.

    Args:
        bundle_dir: a bundle folder (format 1) whose communities are `site` and `site/tag`.
        work_dir: where the evaluation's store and index live (reused when the bundle is unchanged).
        encoder: embeds the index and the questions.
    Returns:
        {"bundle", "questions", "dropped", "methods": {name: {"P@1", "R@3"}}}.
    """
    batch = read_bundle(bundle_dir)
    tests = held_out_questions([item.record for item in batch.contributions])
    known = before(batch, tests[0].created_at)
    communities = {item.record.id for item in batch.communities}
    cases = [(question_text(q), _tag_communities(communities, q.tags)) for q in tests]
    kept = [(text, relevant) for text, relevant in cases if relevant]
    queries = QueryCache(encoder, [text for text, _ in kept])
    workspace = prepare_workspace(work_dir, known, queries, Settings(_env_file=None))
    methods = {}
    for name, weights in METHODS.items():
        related = RelatedCommunities(workspace.holder, queries, weights)
        hits_at_1, recall = 0.0, 0.0
        for text, relevant in tqdm(kept, desc=f"{bundle_dir.name}: {name}", unit="question"):
            found = related.find(TOP, text=text).items
            ranked = [item["community_id"] for item in found]
            hits_at_1 += bool(ranked) and ranked[0] in relevant
            recall += len(relevant & set(ranked)) / len(relevant)
        methods[name] = {"P@1": hits_at_1 / len(kept), f"R@{TOP}": recall / len(kept)}
    return {
        "bundle": bundle_dir.name,
        "questions": len(kept),
        "dropped": len(cases) - len(kept),
        "methods": methods,
    }


def markdown_table(results: list[dict]) -> str:
    """One row per bundle and method."""
    lines = [f"| bundle | method | P@1 | R@{TOP} |", "|---|---|---|---|"]
    for result in results:
        label = f"{result['bundle']} ({result['questions']} questions, {result['dropped']} dropped)"
        for name, scores in result["methods"].items():
            lines.append(f"| {label} | {name} | {scores['P@1']:.3f} | {scores[f'R@{TOP}']:.3f} |")
            label = result["bundle"]
    return "\n".join(lines)


def main(
    data: Annotated[Path, typer.Option(help="folder holding the dba and history bundles")] = shared.BUNDLES,
    work: Annotated[Path | None, typer.Option(help="work folder to keep between runs")] = None,
) -> None:
    """Evaluate related communities on the dev bundles and print a Markdown table."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    encoder = Encoder(**encoder_options(settings, settings.torch_threads))
    with tempfile.TemporaryDirectory(prefix="copmatch-related-") as scratch:
        root = work or Path(scratch)
        results = [evaluate_related_communities(data / b, root / b, encoder) for b in BUNDLES]
    typer.echo(markdown_table(results))


if __name__ == "__main__":
    typer.run(main)
