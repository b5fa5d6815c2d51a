"""The candidate features: sparse row products, candidate evidence and member records."""

import numpy as np
from scipy import sparse

from models.evidence import EvidenceWeights
from models.expert_features import MEMBER_FEATURES, candidate_evidence, member_stats, rows_dot
from models.retrieval import FusionWeights, retrieve
from tests.models.tiny_snapshot import tiny_snapshot, unit


def test_rows_dot_equals_slicing_the_matrix() -> None:
    matrix = sparse.random(50, 7, density=0.3, format="csr", random_state=0)
    rows, vector = np.array([3, 0, 49, 3, 10]), np.arange(7.0)
    assert np.allclose(rows_dot(matrix, rows, vector), matrix[rows] @ vector)
    assert rows_dot(matrix, np.array([], dtype=int), vector).shape == (0,)


def _snapshot():  # type: ignore[no-untyped-def]
    rows = [
        {"author": 0, "kind": "answer", "vector": unit(1, 0.1, 0), "text": "lag fix", "accepted": True},
        {"author": 0, "kind": "answer", "vector": unit(1, 0.3, 0), "text": "lag tip"},
        {"author": 1, "kind": "question", "vector": unit(1, 0.2, 0), "text": "lag again"},
        {"author": 2, "kind": "answer", "vector": unit(0, 0, 1), "text": "toner", "age_days": 300},
    ]
    return tiny_snapshot(rows, ["ana", "bo", "cy", "dee"])


def test_candidates_are_the_authors_of_the_hits_with_their_votes() -> None:
    snapshot = _snapshot()
    found = retrieve(snapshot, unit(1, 0, 0), "lag", FusionWeights(), 10)
    evidence = candidate_evidence(snapshot, found, EvidenceWeights(), None)
    assert evidence.members.tolist() == [0, 1, 2]  # dee wrote nothing
    assert evidence.dense[0] == 1.0 and 0 < evidence.dense[1] < 0.2  # a question barely counts
    assert evidence.dense[2] == 0.0  # the farthest hit has strength 0
    assert evidence.lexical[0] == 1.0 and evidence.lexical[2] == 0.0  # cy never says 'lag'
    assert 0.95 < evidence.best_match[0] <= 1.0


def test_member_record_counts_answers_acceptance_and_questions() -> None:
    stats = member_stats(_snapshot(), EvidenceWeights())
    column = {name: stats[:, i] for i, name in enumerate(MEMBER_FEATURES)}
    assert column["contributions"].tolist() == np.log1p([2, 0, 1, 0]).astype(np.float32).tolist()
    assert column["accepted"][0] == np.float32(np.log1p(1)) and column["accepted"][2] == 0
    assert column["questions"][1] == np.float32(np.log1p(1)) and column["questions"][0] == 0
    assert column["activity_recent"][0] > column["activity_recent"][2]  # cy's answer is old
    assert column["last_active"][3] == -1.0  # never contributed
