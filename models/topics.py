"""A community's topics, found at index time from its threads' embeddings, and who holds each.

Clustering: each thread is the normalized mean of its contributions' vectors; a community's
threads (its sub-communities' included) are clustered by k-means (scikit-learn). k-means
because it scales linearly with the threads and every thread gets a topic (HDBSCAN leaves
much of real, diffuse Q&A as noise and costs far more). Where threads carry tags (StackExchange,
Discourse, the demo), people's own topic labels join the embedding: each thread's point is its
vector beside its tags' TF-IDF vector (hashed to TAG_FEATURES columns, unit length), equally
weighted. On the demo's small communities (39-57 threads, 10 seeds) this raised the clusters'
agreement with the planted topics (adjusted Rand index) from 0.19-0.64 (mean 0.40) to 0.51-0.89
(mean 0.76); see docs/continuity.md. Threads without tags keep their embedding alone.
k = round(sqrt(threads / 2)), the usual rule of thumb, within 2..MAX_TOPICS; a community with
fewer than 2 × MIN_TOPIC_THREADS threads is one topic. (Choosing k by silhouette was tried: on
real Q&A, whose embeddings have no sharp clusters, it picked 2 topics for a whole site, too
coarse to show where knowledge is thin, and it cost a k-means per candidate.)

Naming: class-based TF-IDF (the topic's threads as one document, tf × log(1 + mean words per
topic / the term's frequency over all topics)) over the thread titles and question starts;
the NAME_TERMS best words and word pairs, none repeating another's words.

Holders: the worth of each member's evidence (non-question contributions) in the topic's
threads, weighed exactly as the expert ranker weighs evidence (`models.evidence.worth`).

Incremental builds (`cluster_communities` with the previous version's `Clusterings`): a community
whose threads' vectors and texts are exactly as before keeps its clustering and names as they
were; one that changed starts k-means from its previous centroids when k is the same (a few Lloyd
iterations instead of k-means++ three times), which finds the same topics for a small change.
The holders are recomputed for every topic (their worth fades with the organization's clock).
"""

import hashlib
import json
import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from models.evidence import QUESTION, EvidenceWeights, age_share, worth
from models.snapshot import Snapshot
from models.terms import count_bags, word_analyzer
from models.topic_map import Topic, TopicMap

MIN_TOPIC_THREADS = 5
MAX_TOPICS = 30
NAME_TERMS = 3
NAME_PATTERN = r"(?u)\b[a-z]\w+\b"
EXAMPLES = 3
SEED = 0
TAG_FEATURES = 512  # hashed tag columns: fixed, so points of successive builds are comparable
MAX_ITERATIONS = 300  # of a warm-started k-means, as scikit-learn's default
CLUSTERS_FILE = "topic_clusters.json"  # per community: fingerprint, names, sizes
CLUSTER_ARRAYS_FILE = "topic_clusters.npz"  # labels and centroids, concatenated


@dataclass
class Clustering:
    """One community's threads clustered: reused by the next build for the same threads, or the
    start of its k-means."""

    fingerprint: str  # of the community's thread vectors and texts
    labels: np.ndarray  # int64: the topic of each of its threads, in thread order
    centroids: np.ndarray  # (topics, dim) float32
    names: list[list[str]]  # the terms of each topic


Clusterings = dict[str, Clustering]  # by community id


def save_clusterings(clusterings: Clusterings, directory: Path) -> None:
    """Write `clusterings` into `directory` (CLUSTERS_FILE and CLUSTER_ARRAYS_FILE)."""
    items = list(clusterings.items())
    meta = [
        {
            "community": key,
            "fingerprint": c.fingerprint,
            "names": c.names,
            "threads": len(c.labels),
            "topics": len(c.centroids),
        }
        for key, c in items
    ]
    (directory / CLUSTERS_FILE).write_text(json.dumps(meta))
    dim = items[0][1].centroids.shape[1] if items else 0
    np.savez(
        directory / CLUSTER_ARRAYS_FILE,
        labels=np.concatenate([c.labels for _, c in items] or [np.zeros(0)]).astype(np.int16),
        centroids=np.concatenate([c.centroids for _, c in items] or [np.zeros((0, dim))]).astype(np.float32),
    )


def load_clusterings(directory: Path) -> Clusterings:
    """The clusterings `save_clusterings` wrote into `directory`."""
    meta = json.loads((directory / CLUSTERS_FILE).read_text())
    with np.load(directory / CLUSTER_ARRAYS_FILE) as arrays:
        labels, centroids = arrays["labels"].astype(np.int64), arrays["centroids"]
    found, at, row = {}, 0, 0
    for item in meta:
        topics = item["topics"]
        found[item["community"]] = Clustering(
            item["fingerprint"],
            labels[at : at + item["threads"]],
            centroids[row : row + topics],
            item["names"],
        )
        at, row = at + item["threads"], row + topics
    return found


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


def tag_points(vectors: np.ndarray, tags: Sequence[str]) -> np.ndarray:
    """Thread points for clustering: each thread's vector beside the unit TF-IDF vector of its
    space-separated tags (smoothed idf over these threads, tags hashed by crc32 into TAG_FEATURES
    columns; all zero for a thread without tags), so shared tags pull threads together."""
    if not any(tags):
        return vectors
    counts = np.zeros((len(tags), TAG_FEATURES), dtype=np.float32)
    for row, text in enumerate(tags):
        for tag in text.lower().split():
            counts[row, zlib.crc32(tag.encode()) % TAG_FEATURES] += 1
    idf = np.log((1 + len(tags)) / (1 + (counts > 0).sum(axis=0))) + 1
    weighted = counts * idf.astype(np.float32)
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    return np.hstack([vectors, weighted / np.where(norms > 0, norms, 1.0)]).astype(np.float32)


def lloyd(points: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """k-means from the given `centroids`: assign each point to the nearest, move each centroid to
    its points' mean (one left without points stays), until no point changes topic."""
    centroids, labels = centroids.astype(np.float32), None
    for _ in range(MAX_ITERATIONS):
        nearest = ((centroids**2).sum(axis=1) - 2 * points @ centroids.T).argmin(axis=1)
        if labels is not None and np.array_equal(nearest, labels):
            break
        labels = nearest
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, points)
        sizes = np.bincount(labels, minlength=len(centroids))[:, None]
        centroids = np.where(sizes > 0, sums / np.maximum(sizes, 1), centroids).astype(np.float32)
    return np.asarray(labels, dtype=np.int64), centroids


def cluster(points: np.ndarray, start: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A topic label per thread vector, and the topics' centroids; k-means from `start` when it has
    the k this many points get, else k-means++ (scikit-learn, imported only then)."""
    k = choose_k(len(points))
    if k == 1:
        return np.zeros(len(points), dtype=np.int64), points.mean(axis=0, keepdims=True).astype(np.float32)
    if start is not None and start.shape == (k, points.shape[1]):  # same k, same kind of point
        return lloyd(points, start)
    from sklearn.cluster import KMeans  # 1.5 s to import: not on an incremental build's path

    fitted = KMeans(k, n_init=3, random_state=SEED).fit(points)
    return fitted.labels_.astype(np.int64), fitted.cluster_centers_.astype(np.float32)


_name_terms = word_analyzer(NAME_PATTERN, ngrams=2)


def name_bag(text: str) -> Counter[str]:
    """The words and word pairs of a thread's text that topic names are chosen from."""
    return Counter(_name_terms(text))


def distinctive_terms(texts: list[str], labels: np.ndarray, count: int = NAME_TERMS) -> list[list[str]]:
    """Per label 0..max, its `count` most distinctive terms by class-based TF-IDF."""
    return distinctive_bag_terms([name_bag(text) for text in texts], labels, count)


def distinctive_bag_terms(
    bags: Sequence[Counter[str]], labels: np.ndarray, count: int = NAME_TERMS
) -> list[list[str]]:
    """`distinctive_terms` of texts already made into `name_bag`s."""
    topics = int(labels.max(initial=-1)) + 1
    counts, vocabulary = count_bags(bags)
    if not vocabulary:  # no words at all
        return [[] for _ in range(topics)]
    onehot = sparse.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))), (topics, len(labels))
    )
    per_topic = (onehot @ counts).toarray()
    words = per_topic.sum(axis=1, keepdims=True)
    tf = per_topic / np.maximum(words, 1)
    idf = np.log1p(words.mean() / np.maximum(per_topic.sum(axis=0), 1))
    terms = np.array(list(vocabulary), dtype=object)
    return [_pick_terms(terms, tf[t] * idf, count) for t in range(topics)]


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


@dataclass
class _Threads:
    """A snapshot's threads: their numbers, centre vectors, root rows, root communities, texts, tags."""

    numbers: np.ndarray
    centres: np.ndarray
    roots: np.ndarray
    community: np.ndarray
    texts: list[str]
    tags: list[str]

    @classmethod
    def of(cls, snapshot: Snapshot, vectors: np.ndarray) -> "_Threads":
        c = snapshot.contributions
        thread = np.asarray(c.thread)
        numbers, roots = np.unique(thread, return_index=True)
        texts = [f"{c.title[int(r)]} {c.snippet[int(r)]}" for r in roots]
        centres = thread_vectors(thread, vectors)[numbers]
        tags = [c.tags[int(r)] for r in roots]
        return cls(numbers, centres, roots, np.asarray(c.community)[roots], texts, tags)

    def of_communities(self, snapshot: Snapshot) -> list[tuple[int, np.ndarray]]:
        """(community row, positions of its threads, its sub-communities' included) where it has any."""
        found = []
        for community, inside in enumerate(subtrees(snapshot.communities.parent)):
            chosen = np.flatnonzero((self.community >= 0) & inside[np.maximum(self.community, 0)])
            if len(chosen):
                found.append((community, chosen))
        return found


def _fingerprint(points: np.ndarray, texts: list[str]) -> str:
    """A digest of a community's thread vectors and texts: equal means its clustering is too."""
    digest = hashlib.blake2b(np.ascontiguousarray(points, dtype=np.float32).tobytes(), digest_size=16)
    digest.update("\0".join(texts).encode())
    return digest.hexdigest()


def cluster_communities(
    snapshot: Snapshot, vectors: np.ndarray, previous: Clusterings | None = None
) -> Clusterings:
    """Every community's threads clustered and the topics named, reusing or starting from
    `previous` (see the module docstring).

    Args:
        snapshot: the freshly built snapshot.
        vectors: its contribution embeddings, row-aligned.
        previous: the previous version's clusterings, or None to cluster from scratch.
    Returns:
        The clusterings by community id.
    """
    threads = _Threads.of(snapshot, vectors)
    bags: dict[int, Counter[str]] = {}  # per thread, made once though its text names topics up its tree
    found: Clusterings = {}
    for community, chosen in threads.of_communities(snapshot):
        key = snapshot.communities.ids[community]
        texts = [threads.texts[i] for i in chosen]
        points = tag_points(threads.centres[chosen], [threads.tags[i] for i in chosen])
        fingerprint = _fingerprint(points, texts)
        before = previous.get(key) if previous is not None else None
        if before is not None and before.fingerprint == fingerprint:
            found[key] = before
            continue
        labels, centroids = cluster(points, before.centroids if before is not None else None)
        for i in chosen.tolist():
            if i not in bags:
                bags[i] = name_bag(threads.texts[i])
        names = distinctive_bag_terms([bags[i] for i in chosen.tolist()], labels)
        found[key] = Clustering(fingerprint, labels, centroids, names)
    return found


def find_topics(
    snapshot: Snapshot, vectors: np.ndarray, weights: EvidenceWeights, clusterings: Clusterings | None = None
) -> TopicMap:
    """Every community's topics with their holders (see the module docstring).

    Args:
        snapshot: the freshly built snapshot.
        vectors: its contribution embeddings, row-aligned.
        weights: the evidence weights the expert ranker uses.
        clusterings: `cluster_communities(snapshot, vectors, ...)`; by default clustered afresh.
    Returns:
        The topic map to store with the snapshot.
    """
    clusterings = cluster_communities(snapshot, vectors) if clusterings is None else clusterings
    c = snapshot.contributions
    thread = np.asarray(c.thread)
    threads = _Threads.of(snapshot, vectors)
    evidence = np.asarray(c.kind) != QUESTION
    value = np.where(evidence, worth(snapshot, slice(None), weights), 0.0)
    found = TopicMap(last_seen=[round(float(x), 6) for x in last_seen(snapshot)])
    for community, chosen in threads.of_communities(snapshot):
        clustering = clusterings[snapshot.communities.ids[community]]
        labels = clustering.labels
        topic_of = np.full(len(threads.numbers), -1)
        topic_of[chosen] = labels
        row_topic = topic_of[np.searchsorted(threads.numbers, thread)]
        for label, terms in enumerate(clustering.names):
            rows = np.flatnonzero(row_topic == label)
            if rows.size:
                mine = chosen[labels == label]
                topic = _topic(
                    snapshot, community, terms, rows, value, threads.centres, threads.numbers, mine
                )
                found.topics.append(topic)
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
