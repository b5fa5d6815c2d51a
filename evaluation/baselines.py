"""The spec's expert-finding baselines: popularity and similarity voting (TF-IDF or dense).

Voting: each answerer collects the similarity of the 100 most similar earlier questions they
answered, an accepted answer counting double; members rank by the sum.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from evaluation.metrics import Rankings
from evaluation.protocol import HeldOutQuestion, question_text
from store.importers.records import ContributionRecord

VOTERS = 100  # most similar earlier questions that vote
DEPTH = 100  # ranked members kept per test question, for every method


@dataclass
class History:
    """What the baselines know at the cutoff: earlier questions and who answered them."""

    question_ids: list[str]
    texts: list[str]
    voters: list[list[tuple[str, float]]]  # per question: (answerer, 2 if accepted else 1)
    answer_counts: Counter[str]


def history_of(records: Sequence[ContributionRecord]) -> History:
    """Questions and answers among `records` (the contributions before the cutoff)."""
    questions = sorted((r for r in records if r.kind == "question"), key=lambda r: r.id)
    answers = [r for r in records if r.kind == "answer"]
    voters: dict[str, list[tuple[str, float]]] = {q.id: [] for q in questions}
    for a in answers:
        if a.parent_id in voters:
            voters[a.parent_id].append((a.author_id, 2.0 if a.accepted else 1.0))
    return History(
        question_ids=[q.id for q in questions],
        texts=[question_text(q) for q in questions],
        voters=[voters[q.id] for q in questions],
        answer_counts=Counter(a.author_id for a in answers),
    )


def _top(scores: Mapping[str, float], asker: str, depth: int) -> list[str]:
    """Members by score (ties by id), without the asker and without a zero score."""
    ranked = sorted((-s, m) for m, s in scores.items() if s > 0 and m != asker)
    return [m for _, m in ranked[:depth]]


def popularity(history: History, tests: Sequence[HeldOutQuestion], depth: int = DEPTH) -> Rankings:
    """Everyone ranked by how many answers they wrote before the cutoff."""
    counts = {m: float(c) for m, c in history.answer_counts.items()}
    return {q.id: _top(counts, q.asker, depth) for q in tests}


def voting(
    similarity: np.ndarray,
    history: History,
    tests: Sequence[HeldOutQuestion],
    depth: int = DEPTH,
) -> Rankings:
    """Rank answerers by the votes of the most similar earlier questions.

    Args:
        similarity: (tests, earlier questions) similarity, columns in `history.question_ids` order.
        history: the earlier questions' answerers.
        tests: the test questions, rows of `similarity`.
        depth: members kept per test question.
    Returns:
        Test question id -> ranked member ids.
    """
    voters = min(VOTERS, similarity.shape[1])
    rankings: dict[str, list[str]] = {}
    for question, row in zip(tests, similarity, strict=True):
        scores: Counter[str] = Counter()
        for j in np.argpartition(-row, voters - 1)[:voters]:
            for member, weight in history.voters[j]:
                scores[member] += weight * float(row[j])
        rankings[question.id] = _top(scores, question.asker, depth)
    return rankings


def tfidf_vectorizer() -> TfidfVectorizer:
    """TF-IDF with English stop words and sublinear term frequency.

    This configuration over the full title and body reproduces the spec's reference TF-IDF
    voting numbers exactly on both dev bundles (scikit-learn's defaults fall short of them).
    """
    return TfidfVectorizer(stop_words="english", sublinear_tf=True)


def tfidf_similarity(earlier: Sequence[str], queries: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors fitted on the earlier texts."""
    vectorizer = tfidf_vectorizer()
    known = vectorizer.fit_transform(earlier)
    return (vectorizer.transform(queries) @ known.T).toarray()
