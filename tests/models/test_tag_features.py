"""Tag features: the tags of a question's hits against the tags each member answered."""

import numpy as np

from models.evidence import EvidenceWeights
from models.expert_features import candidate_evidence, tag_affinity, with_caches
from models.retrieval import FusionWeights, retrieve
from models.tag_features import member_tags, tag_text
from tests.models.tiny_snapshot import tiny_snapshot, unit


def _snapshot():  # type: ignore[no-untyped-def]
    rows = [
        {
            "author": 0,
            "kind": "answer",
            "vector": unit(1, 0.1, 0),
            "text": "qubit noise",
            "tags": "noise qubit",
        },
        {"author": 0, "kind": "answer", "vector": unit(1, 0.2, 0), "text": "decoherence", "tags": "noise"},
        {"author": 1, "kind": "answer", "vector": unit(0.6, 0.8, 0), "text": "gates", "tags": "gates qubit"},
        {"author": 1, "kind": "answer", "vector": unit(0, 1, 0), "text": "circuits", "tags": "gates"},
        {"author": 2, "kind": "question", "vector": unit(1, 0, 0), "text": "why noise", "tags": "noise"},
        {"author": 3, "kind": "answer", "vector": unit(0, 0, 1), "text": "toner", "tags": ""},
    ]
    return tiny_snapshot(rows, ["ana", "bo", "cy", "dee"])


def test_tag_text_keeps_each_tag_one_word() -> None:
    assert tag_text(["error handling", " ", "sql"]) == "error-handling sql"


def test_member_tags_count_answers_not_questions() -> None:
    held = member_tags(_snapshot(), EvidenceWeights())
    assert held.share.shape == (4, 3)  # gates, noise, qubit
    assert np.allclose(held.share.sum(axis=0), 1.0)  # every tag's evidence shared out
    assert held.share[2].sum() == 0 and held.share[3].sum() == 0  # asking is no answer; untagged
    assert np.allclose(np.asarray(held.profile.multiply(held.profile).sum(axis=1)).ravel(), [1, 1, 0, 0])


def test_the_member_who_answered_the_questions_tags_scores_higher() -> None:
    snapshot = with_caches(_snapshot(), EvidenceWeights())
    found = retrieve(snapshot, unit(1, 0, 0), "noise", FusionWeights(), 10)
    evidence = candidate_evidence(snapshot, found, EvidenceWeights(), None)
    share, match = tag_affinity(snapshot, found, evidence.dense_value, np.array([0, 1, 3]), EvidenceWeights())
    assert share[0] > share[1] > share[2] == np.log(0.001)  # dee has no tagged evidence
    assert match[0] > match[1] and match[2] == 0.0 and 0 < match[0] <= 1.0 + 1e-6


def test_hits_without_tags_give_the_floor() -> None:
    snapshot = _snapshot()
    found = retrieve(snapshot, unit(0, 0, 1), "toner", FusionWeights(), 1)
    evidence = candidate_evidence(snapshot, found, EvidenceWeights(), None)
    share, match = tag_affinity(snapshot, found, evidence.dense_value, np.array([3]), EvidenceWeights())
    assert share.tolist() == [np.log(0.001)] and match.tolist() == [0.0]
