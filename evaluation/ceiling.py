"""How far the expert ranker's features can go on a test set: a diagnostic bound, not a method.

Two figures tell whether better expert rankings need new weights or new evidence. Pool coverage:
the test questions whose accepted answerer is among the candidates retrieval finds (no weighting
ranks anyone else). Oracle MRR: the ranker refitted on the test questions themselves, answers
included, by the likelihood it trains with: a practical (not strict) bound on what reweighting the
same candidates and features gives, so when the learned ranker comes close to it only a new signal
can lift the ranking.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from evaluation.protocol import HeldOutQuestion
from models.expert_features import FEATURES
from models.ranker import TrainingList, fit_ranker, mean_reciprocal_rank
from models.ranker_training import DEFAULT_WEIGHTS, training_list
from models.snapshot import Snapshot
from service.queries import QueryEmbedder


@dataclass(frozen=True)
class Ceiling:
    """Pool coverage and the test-fitted ranker's MRR over every kept question (misses score 0)."""

    kept: int
    in_pool: int
    oracle_mrr: float

    def note(self) -> str:
        """One line for the report."""
        return (
            f"ceiling: the accepted answerer is a candidate for {self.in_pool} of {self.kept} questions;"
            " the ranker refitted on these test questions themselves (an oracle, same likelihood) reaches"
            f" MRR {self.oracle_mrr:.3f}"
        )


def candidate_lists(
    snapshot: Snapshot, queries: QueryEmbedder, tests: Sequence[HeldOutQuestion]
) -> list[TrainingList]:
    """The service's candidates and features for each test question whose accepted answerer is one."""
    row_of = snapshot.members.row_of
    lists = []
    for q in tests:
        if q.expert not in row_of:
            continue
        vector, asker = queries.embed_query(snapshot, q.text), row_of.get(q.asker, -1)
        item = training_list(snapshot, vector, q.text, asker, row_of[q.expert], DEFAULT_WEIGHTS)
        if item is not None:
            lists.append(item)
    return lists


def ranker_ceiling(snapshot: Snapshot, queries: QueryEmbedder, tests: Sequence[HeldOutQuestion]) -> Ceiling:
    """Fit the ranker on the test questions' own candidate lists and score it on them.

    Args:
        snapshot: the index the service answers from.
        queries: embeds the questions as the service does.
        tests: the kept test questions.
    Returns:
        The ceiling: pool coverage and the oracle's MRR.
    """
    lists = candidate_lists(snapshot, queries, tests)
    if not lists:
        return Ceiling(len(tests), 0, 0.0)
    model = fit_ranker(lists, FEATURES, snapshot.ranker)
    total = mean_reciprocal_rank(model, lists, FEATURES) * len(lists)
    return Ceiling(len(tests), len(lists), total / len(tests))
