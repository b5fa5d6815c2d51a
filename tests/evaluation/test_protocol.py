"""The spec's time split and the baselines on a tiny hand-made dataset."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from evaluation.baselines import history_of, popularity, voting
from evaluation.protocol import before, split_experts
from store.importers.records import Batch, ContributionRecord, Located

START = datetime(2022, 1, 1, tzinfo=UTC)


def _question(n: int, asker: str, day: int) -> ContributionRecord:
    return ContributionRecord(
        id=f"q{n}",
        author_id=asker,
        kind="question",
        title=f"title {n}",
        body=f"body {n}",
        created_at=START + timedelta(days=day),
    )


def _answer(n: int, question: int, author: str, day: float, accepted: bool = False) -> ContributionRecord:
    return ContributionRecord(
        id=f"a{n}",
        author_id=author,
        kind="answer",
        parent_id=f"q{question}",
        created_at=START + timedelta(days=day),
        accepted=accepted,
    )


def dataset() -> list[ContributionRecord]:
    """20 questions: q19 and q20 (last 10%) are tests; `ann` answered before, `new` never did."""
    records = [_question(n, "asker", n) for n in range(1, 19)]
    records += [_answer(n, n, "ann" if n % 2 else "bob", n + 0.5, accepted=True) for n in range(1, 19)]
    records += [_answer(100 + n, n, "cat", n + 0.6) for n in range(1, 4)]
    records += [
        _question(19, "bob", 19),
        _question(20, "asker", 19),  # same time as q19: (created_at, id) puts it last
        _answer(200, 19, "ann", 19.5, accepted=True),
        _answer(201, 19, "cat", 19.6),
        _answer(202, 20, "new", 19.7, accepted=True),
        _answer(203, 18, "cat", 19.8),  # an answer after T to an earlier question
    ]
    return records


def test_cutoff_kept_and_dropped() -> None:
    split = split_experts(dataset())
    assert split.cutoff == START + timedelta(days=19)
    assert split.n_tests == 2
    assert [q.id for q in split.kept] == ["q19"]
    assert split.dropped == ["q20"]
    (kept,) = split.kept
    assert (kept.asker, kept.expert, kept.answerers) == ("bob", "ann", {"ann", "cat"})
    assert kept.text == "title 19\nbody 19"


def test_graded_qrels() -> None:
    qrels = {(q.query_id, q.doc_id): q.relevance for q in split_experts(dataset()).qrels()}
    assert qrels == {("q19", "ann"): 2, ("q19", "cat"): 1}


def test_only_contributions_before_the_cutoff_are_known() -> None:
    batch = Batch(contributions=[Located(r, "contributions.jsonl", i) for i, r in enumerate(dataset())])
    known = before(batch, split_experts(dataset()).cutoff)
    ids = {item.record.id for item in known.contributions}
    assert len(ids) == 18 + 18 + 3
    assert not ids & {"q19", "q20", "a200", "a203"}


def test_popularity_counts_answers_before_the_cutoff_and_excludes_the_asker() -> None:
    split = split_experts(dataset())
    history = history_of([r for r in dataset() if r.created_at < split.cutoff])
    assert history.answer_counts == {"ann": 9, "bob": 9, "cat": 3}
    assert popularity(history, split.kept)["q19"] == ["ann", "cat"]  # bob asked q19


def test_voting_counts_accepted_answers_double_and_excludes_the_asker() -> None:
    split = split_experts(dataset())
    history = history_of([r for r in dataset() if r.created_at < split.cutoff])
    similarity = np.zeros((1, len(history.question_ids)))
    similarity[0, history.question_ids.index("q1")] = 0.5  # ann accepted (2×), cat answered
    similarity[0, history.question_ids.index("q2")] = 0.4  # bob (the asker) accepted, cat answered
    # ann 2 × 0.5 = 1.0 beats cat 0.5 + 0.4 = 0.9 only because acceptance counts double
    ranking = voting(similarity, history, split.kept)["q19"]
    assert ranking == ["ann", "cat"]


def test_no_question_is_an_error() -> None:
    with pytest.raises(ValueError, match="no contribution of kind 'question'"):
        split_experts([])


def test_an_earlier_window_tests_the_tenth_before_with_its_own_cutoff() -> None:
    split = split_experts(dataset(), back=1)  # q17, q18: two questions back
    assert split.cutoff == START + timedelta(days=17)
    assert [q.id for q in split.kept] == ["q17", "q18"]
    assert {q.expert for q in split.kept} == {"ann", "bob"}
    with pytest.raises(ValueError, match="too few"):
        split_experts(dataset(), back=10)
