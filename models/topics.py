"""A community's topics, found at index time from its threads' embeddings, and who holds each.

Clustering: each thread is the normalized mean of its contributions' vectors; a community's
threads (its sub-communities' included) are clustered by k-means (scikit-learn). k-means
because it scales linearly with the threads and every thread gets a topic (HDBSCAN leaves
much of real, diffuse Q&A as noise and costs far more). k = round(sqrt(threads / 2)), the
usual rule of thumb, within 2..MAX_TOPICS; a community with fewer than 2 × MIN_TOPIC_THREADS
threads is one topic. (Choosing k by silhouette was tried: on real Q&A, whose embeddings have
no sharp clusters, it picked 2 topics for a whole site, too coarse to show where knowledge is
thin, and it cost a k-means per candidate.)

Naming: class-based TF-IDF (the topic's threads as one document, tf × log(1 + mean words per
topic / the term's frequency over all topics)) over the thread titles and question starts;
the NAME_TERMS best words and word pairs, none repeating another's words.

Holders: the worth of each member's evidence (non-question contributions) in the topic's
threads, weighed exactly as the expert ranker weighs evidence (`models.evidence.worth`).
"""

import math

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer

from models.evidence import QUESTION, EvidenceWeights, age_share, worth
from models.snapshot import Snapshot
from models.topic_map import Topic, TopicMap

MIN_TOPIC_THREADS = 5
MAX_TOPICS = 30
NAME_TERMS = 3
EXAMPLES = 3
SEED = 0


def thread_vectors(thread: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """(threads, dim) float32: the normalized mean of each thread's contribution vectors."""
    count = int(thread.max(initial=-1)) + 1
    member = sparse.csr_matrix((np.ones(len(thread)), (thread, np.arange(len(thread)))), (count, len(thread)))
    sums = np.asarray(member @ vectors, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1.0)


def choose_k(threads: int) -> int:
    """The number of topics for a community of `threads` threads (see the module docstring)."""
    if threads < 2 * MIN_TOPIC_THREADS:
        return 1
    return int(min(MAX_TOPICS, max(2, round(math.sqrt(threads / 2)))))


def cluster(points: np.ndarray) -> np.ndarray:
    """A topic label per thread vector."""
    k = choose_k(len(points))
    if k == 1:
        return np.zeros(len(points), dtype=np.int64)
    labels: np.ndarray = KMeans(k, n_init=3, random_state=SEED).fit_predict(points).astype(np.int64)
    return labels


def distinctive_terms(texts: list[str], labels: np.ndarray, count: int = NAME_TERMS) -> list[list[str]]:
    """Per label 0..max, its `count` most distinctive terms by class-based TF-IDF."""
    topics = int(labels.max(initial=-1)) + 1
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[a-z]\w+\b")
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # no words at all
        return [[] for _ in range(topics)]
    onehot = sparse.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), (topics, len(labels))
    )
    per_topic = (onehot @ counts).toarray()
    words = per_topic.sum(axis=1, keepdims=True)
    tf = per_topic / np.maximum(words, 1)
    idf = np.log1p(words.mean() / np.maximum(per_topic.sum(axis=0), 1))
    vocabulary = vectorizer.get_feature_names_out()
    return [_pick_terms(vocabulary, tf[t] * idf, count) for t in range(topics)]


def _pick_terms(vocabulary: np.ndarray, scores: np.ndarray, count: int) -> list[str]:
    """The best-scoring terms, skipping any whose words an earlier pick already has."""
    picked: list[str] = []
    seen: set[str] = set()
    for index in np.argsort(-scores, kind="stable"):
        if scores[index] <= 0 or len(picked) == count:
            break
        words = set(str(vocabulary[index]).split())
        if words <= seen or any(w in seen for w in words):
            continue
        picked.append(str(vocabulary[index]))
        seen |= words
    return picked


def subtrees(parent: list[int]) -> list[np.ndarray]:
    """Per community row, a bool mask over community rows: itself and every descendant."""
    size = len(parent)
    masks = [np.eye(1, size, row, dtype=bool).ravel() for row in range(size)]
    for row in range(size):
        up, steps = parent[row], 0
        while up >= 0 and steps < size:
            masks[up][row] = True
            up, steps = parent[up], steps + 1
    return masks


def last_seen(snapshot: Snapshot) -> np.ndarray:
    """Per member: the age share of their newest contribution of any kind (1.0 = none)."""
    seen = np.ones(len(snapshot.members))
    np.minimum.at(seen, np.asarray(snapshot.contributions.author), age_share(snapshot))
    return seen


def find_topics(snapshot: Snapshot, vectors: np.ndarray, weights: EvidenceWeights) -> TopicMap:
    """Every community's topics with their holders (see the module docstring).

    Args:
        snapshot: the freshly built snapshot.
        vectors: its contribution embeddings, row-aligned.
        weights: the evidence weights the expert ranker uses.
    Returns:
        The topic map to store with the snapshot.
    """
    c = snapshot.contributions
    thread = np.asarray(c.thread)
    threads, roots = np.unique(thread, return_index=True)
    centres = thread_vectors(thread, vectors)[threads]
    root_community = np.asarray(c.community)[roots]
    texts = [f"{c.title[int(r)]} {c.snippet[int(r)]}" for r in roots]
    evidence = np.asarray(c.kind) != QUESTION
    value = np.where(evidence, worth(snapshot, slice(None), weights), 0.0)
    found = TopicMap(last_seen=[round(float(x), 6) for x in last_seen(snapshot)])
    for community, inside in enumerate(subtrees(snapshot.communities.parent)):
        chosen = np.flatnonzero((root_community >= 0) & inside[np.maximum(root_community, 0)])
        if len(chosen) == 0:
            continue
        labels = cluster(centres[chosen])
        names = distinctive_terms([texts[i] for i in chosen], labels)
        topic_of = np.full(len(threads), -1)
        topic_of[chosen] = labels
        row_topic = topic_of[np.searchsorted(threads, thread)]
        for label, terms in enumerate(names):
            rows = np.flatnonzero(row_topic == label)
            if rows.size:
                mine = chosen[labels == label]
                found.topics.append(_topic(snapshot, community, terms, rows, value, centres, threads, mine))
    return found


def _topic(
    snapshot: Snapshot,
    community: int,
    terms: list[str],
    rows: np.ndarray,
    value: np.ndarray,
    centres: np.ndarray,
    threads: np.ndarray,
    mine: np.ndarray,
) -> Topic:
    """One topic from its contribution rows and its threads' positions in `threads`."""
    c = snapshot.contributions
    kinds = np.asarray(c.kind)[rows]
    questions = rows[kinds == QUESTION]
    centre = centres[mine].mean(axis=0)
    closeness = centres[np.searchsorted(threads, np.asarray(c.thread)[questions])] @ centre
    examples = questions[np.argsort(-closeness, kind="stable")[:EXAMPLES]]
    held = rows[(kinds != QUESTION) & (value[rows] > 0)]
    authors = np.asarray(c.author)[held]
    members, where = np.unique(authors, return_inverse=True)
    total = np.bincount(where, weights=value[held], minlength=len(members))
    count = np.bincount(where, minlength=len(members))
    accepted = np.bincount(where, weights=np.asarray(c.accepted)[held], minlength=len(members))
    order = np.argsort(-total, kind="stable")
    ages = age_share(snapshot)[questions]
    return Topic(
        community=community,
        name=", ".join(terms) or snapshot.communities.names[community],
        terms=terms,
        threads=len(mine),
        questions=len(questions),
        newest_question=round(float(ages.min(initial=1.0)), 6),
        examples=[int(r) for r in examples],
        members=[int(m) for m in members[order]],
        evidence=[round(float(x), 6) for x in total[order]],
        contributions=[int(x) for x in count[order]],
        accepted=[int(x) for x in accepted[order]],
    )
