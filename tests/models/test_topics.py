"""Topics found from thread vectors, named by class-based TF-IDF, and their risk."""

from dataclasses import replace

import numpy as np
import sklearn.cluster

from models.continuity import FEW_HOLDERS, GOING_QUIET, RECENT_SHARE, active_members, assess, effective_number
from models.evidence import EvidenceWeights
from models.snapshot import CommunityRows
from models.topic_map import Topic
from models.topics import (
    TAG_FEATURES,
    cluster,
    cluster_communities,
    distinctive_terms,
    find_topics,
    load_clusterings,
    save_clusterings,
    tag_points,
)
from tests.models.tiny_snapshot import tiny_snapshot

FADING, RISERS, TEAM, ASKER = 0, (1, 2), (3, 4, 5, 6), 7
KAFKA = "kafka consumer lag on partition rebalance"
TERRAFORM = "terraform state lock in the remote module"


def _direction(axis: int, rng: np.random.Generator) -> np.ndarray:
    vector = np.zeros(8, np.float32)
    vector[axis] = 1.0
    return vector + 0.05 * rng.standard_normal(8).astype(np.float32)


def _organization(other: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """Kafka: 6 old threads answered twice by FADING, two recent ones by the RISERS; Terraform: a team
    of four answering recent threads, all four in the newest one (12 threads: 2 topics). `other`:
    one thread per text in a second community."""
    rng = np.random.default_rng(1)
    rows: list[dict] = []

    def thread(axis: int, text: str, age: float, answerers: tuple[int, ...], accepted: bool = True) -> None:
        number = len({r["thread"] for r in rows})
        vector = _direction(axis, rng)
        rows.append(
            {
                "author": ASKER,
                "kind": "question",
                "vector": vector,
                "text": text,
                "age_days": age,
                "thread": number,
            }
        )
        for author in answerers:
            answer = {
                "author": author,
                "kind": "answer",
                "vector": vector,
                "text": text,
                "accepted": accepted,
            }
            rows.append({**answer, "age_days": age - 0.01, "thread": number})

    for t in range(6):
        thread(0, f"{KAFKA} {t}", 400 - 10 * t, (FADING, FADING))
    for t in range(3):
        thread(1, f"{TERRAFORM} {t}", 30 - t, (TEAM[t % 4],))
    thread(1, f"{TERRAFORM} all", 0.3, TEAM)
    thread(0, f"{KAFKA} new", 0.2, (RISERS[0],), accepted=False)
    thread(0, f"{KAFKA} newer", 0.1, (RISERS[1],), accepted=False)
    for t, text in enumerate(other):
        thread(2 + t % 2, text, 50 - t, (TEAM[0],))
        rows[-1]["community"] = rows[-2]["community"] = 1
    snapshot = tiny_snapshot(rows, [f"m{i}" for i in range(8)])
    two = CommunityRows(ids=["c", "d"], names=["C", "D"], descriptions=["", ""], parent=[-1, -1])
    return replace(snapshot, communities=two), np.stack([r["vector"] for r in rows])


def test_two_planted_topics_are_found_and_named_by_their_words() -> None:
    snapshot, vectors = _organization()
    topics = find_topics(snapshot, vectors, EvidenceWeights()).of_community(0)
    assert len(topics) == 2
    kafka = next(t for t in topics if FADING in t.members)
    terraform = next(t for t in topics if t is not kafka)
    assert kafka.name == ", ".join(kafka.terms) and len(kafka.terms) == 3
    assert set(" ".join(kafka.terms).split()) <= set(KAFKA.split())
    assert set(" ".join(terraform.terms).split()) <= set(TERRAFORM.split())
    assert kafka.threads == 8 and kafka.questions == 8
    assert kafka.members[0] == FADING and set(kafka.members) == {FADING, *RISERS}
    assert set(terraform.members) == set(TEAM)


def test_topic_of_a_fading_expert_is_at_risk_with_the_risers_as_growers() -> None:
    snapshot, vectors = _organization()
    found = find_topics(snapshot, vectors, EvidenceWeights())
    seen = np.asarray(found.last_seen)
    assert seen[FADING] > 0.3 > max(seen[m] for m in (*RISERS, *TEAM))
    active = seen < 0.3
    shown = np.ones(8, dtype=bool)
    kafka, terraform = sorted(found.of_community(0), key=lambda t: FADING not in t.members)
    risky = assess(kafka, active, shown)
    assert risky.at_risk and set(risky.risks) == {FEW_HOLDERS, GOING_QUIET}
    assert risky.experts == [FADING] and set(risky.growers) == set(RISERS)
    healthy = assess(terraform, active, shown)
    assert not healthy.at_risk and healthy.effective_experts > 3.5
    assert set(healthy.experts) == set(TEAM) and healthy.growers == []


def test_hidden_members_count_but_are_never_named() -> None:
    snapshot, vectors = _organization()
    found = find_topics(snapshot, vectors, EvidenceWeights())
    kafka = next(t for t in found.of_community(0) if FADING in t.members)
    shown = np.ones(8, dtype=bool)
    shown[[FADING, RISERS[0]]] = False
    health = assess(kafka, np.asarray(found.last_seen) < 0.3, shown)
    assert health.experts == [] and health.growers == [RISERS[1]] and health.at_risk


def test_effective_number_is_the_exponential_of_the_shares_entropy() -> None:
    assert effective_number(np.array([1.0, 1.0, 1.0, 1.0])) == 4.0
    assert effective_number(np.array([5.0])) == 1.0
    assert effective_number(np.array([])) == 0.0
    assert 1.0 < effective_number(np.array([9.0, 1.0])) < 1.5


def test_class_based_tf_idf_prefers_the_words_that_set_a_topic_apart() -> None:
    texts = ["kafka lag shared words", "kafka offsets shared words", "terraform terraform state shared words"]
    names = distinctive_terms(texts, np.array([0, 0, 1]))
    assert names[0][0] == "kafka" and names[1][0] == "terraform"
    assert not any("shared" in term for term in names[0][:1] + names[1][:1])


def test_members_are_active_when_seen_among_the_newest_contributions() -> None:
    active = active_members(np.array([0.0, RECENT_SHARE, RECENT_SHARE + 0.01, 1.0]))
    assert active.tolist() == [True, True, False, False]


def _risky_kafka(found) -> bool:  # type: ignore[no-untyped-def]
    """Whether community 0's Kafka topic is at risk with FADING as its expert (the planted risk)."""
    kafka = next(t for t in found.of_community(0) if FADING in t.members)
    health = assess(kafka, np.asarray(found.last_seen) < 0.3, np.ones(8, dtype=bool))
    return health.at_risk and health.experts == [FADING] and set(health.growers) == set(RISERS)


def _no_kmeans_plus_plus(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("clustered from scratch")

    monkeypatch.setattr(sklearn.cluster, "KMeans", refuse)


OTHER = tuple(f"postgres vacuum question {t}" for t in range(12))


def test_a_warm_started_build_finds_the_planted_topic_at_risk(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    snapshot, vectors = _organization()
    save_clusterings(cluster_communities(snapshot, vectors), tmp_path)
    previous = load_clusterings(tmp_path)
    rng = np.random.default_rng(7)
    moved = vectors + 0.02 * rng.standard_normal(vectors.shape).astype(np.float32)  # every thread changed
    _no_kmeans_plus_plus(monkeypatch)
    clusterings = cluster_communities(snapshot, moved, previous)
    assert clusterings["c"].fingerprint != previous["c"].fingerprint
    found = find_topics(snapshot, moved, EvidenceWeights(), clusterings)
    assert len(found.of_community(0)) == 2 and _risky_kafka(found)


def test_an_untouched_community_keeps_its_topics_as_they_were(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    snapshot, vectors = _organization(OTHER)
    previous = cluster_communities(snapshot, vectors)
    before = find_topics(snapshot, vectors, EvidenceWeights(), previous)
    edited, edited_vectors = _organization((*OTHER[:-1], "postgres vacuum freeze edited"))
    _no_kmeans_plus_plus(monkeypatch)
    clusterings = cluster_communities(edited, edited_vectors, previous)
    assert clusterings["c"] is previous["c"]
    assert clusterings["d"].fingerprint != previous["d"].fingerprint
    after = find_topics(edited, edited_vectors, EvidenceWeights(), clusterings)
    assert after.of_community(0) == before.of_community(0)
    assert len(clusterings["d"].labels) == len(OTHER) and after.of_community(1)


def test_a_changed_k_clusters_from_scratch() -> None:
    snapshot, vectors = _organization(OTHER)
    previous = cluster_communities(snapshot, vectors)
    fewer, fewer_vectors = _organization(OTHER[:4])  # 4 threads: one topic, k changes
    clusterings = cluster_communities(fewer, fewer_vectors, previous)
    assert len(clusterings["d"].centroids) == 1 and len(previous["d"].centroids) == 2


def _held(evidence: list[float], accepted: list[int]) -> Topic:
    """A still-asked topic whose members 0..n-1 hold `evidence`, one contribution each time."""
    count = len(evidence)
    return Topic(
        community=0,
        name="",
        terms=[],
        threads=9,
        questions=9,
        newest_question=0.0,
        examples=[],
        members=list(range(count)),
        evidence=evidence,
        contributions=[max(1, a) for a in accepted],
        accepted=accepted,
    )


def test_experts_are_measured_against_the_strongest_holder_so_a_wide_topic_keeps_them_all() -> None:
    wide = _held([1.0] * 8, [1] * 8)
    assert assess(wide, np.ones(8, dtype=bool), np.ones(8, dtype=bool)).experts == list(range(8))
    health = assess(_held([7.0, 1.0, 1.0], [7, 0, 0]), np.ones(3, dtype=bool), np.ones(3, dtype=bool))
    assert health.experts == [0] and health.growers == [1, 2]


def test_shared_tags_pull_threads_together_where_their_vectors_do_not() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((12, 8)).astype(np.float32)  # no structure in the embeddings (k = 2)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    tags = ["kafka consumer-lag"] * 6 + ["terraform remote-state"] * 6
    points = tag_points(vectors, tags)
    assert points.shape == (12, 8 + TAG_FEATURES)
    labels, _ = cluster(points)
    assert len(set(labels[:6])) == 1 and len(set(labels[6:])) == 1 and labels[0] != labels[6]
    assert tag_points(vectors, [""] * 12) is vectors  # no tags at all: the embeddings alone


def test_centroids_of_points_without_tags_do_not_warm_start_points_with_them() -> None:
    rng = np.random.default_rng(4)
    vectors = rng.standard_normal((12, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    points = tag_points(vectors, ["kafka"] * 6 + ["terraform"] * 6)
    _, before = cluster(vectors)  # a version built before tags joined the points
    labels, centroids = cluster(points, start=before)
    assert centroids.shape == (2, 8 + TAG_FEATURES) and len(set(labels[:6])) == 1
