"""The expert ranker on hand-made evidence: who wins, and why."""

from dataclasses import replace

import numpy as np
import pytest

from models.evidence import EvidenceWeights
from models.experts import ExpertWeights, rank_experts
from models.ranker import RankerModel
from tests.models.tiny_snapshot import tiny_snapshot, unit

QUERY = unit(1, 0, 0)
VOTES_ONLY = ExpertWeights(ranker=RankerModel(("dense", "lexical"), (1.0, 0.5)))


def _ranked(snapshot, weights=VOTES_ONLY, text="replication lag", **kwargs):  # type: ignore[no-untyped-def]
    return [
        snapshot.members.ids[h.member]
        for h in rank_experts(snapshot, QUERY, text, 5, weights=weights, **kwargs)
    ]


def _two_answerers(first: dict | None = None, **second: object):  # type: ignore[no-untyped-def]
    rows = [
        {
            "author": 0,
            "kind": "answer",
            "vector": unit(1, 0.1, 0),
            "text": "replication lag fix",
            **(first or {}),
        },
        {
            "author": 1,
            "kind": "answer",
            "vector": unit(1, 0.1, 0),
            "text": "replication lag fix",
            **second,
        },
        {"author": 2, "kind": "answer", "vector": unit(0, 0, 1), "text": "printer toner"},
        {
            "author": 3,
            "kind": "question",
            "vector": unit(1, 0.05, 0),
            "text": "replication lag again",
        },
    ]
    return tiny_snapshot(rows, ["ana", "bo", "cy", "dee"])


def test_accepted_answer_outweighs_plain_answer() -> None:
    assert _ranked(_two_answerers(accepted=True))[0] == "bo"
    assert _ranked(_two_answerers(accepted=True), ExpertWeights())[0] == "bo"  # shipped weights


def test_recent_evidence_outweighs_old() -> None:
    snapshot = _two_answerers(first={"age_days": 400})  # ana's answer is older
    ranked = _ranked(snapshot)
    assert ranked[0] == "bo" and "ana" in ranked
    timeless = replace(VOTES_ONLY, evidence=EvidenceWeights(use_recency=False))
    scores = {
        snapshot.members.ids[h.member]: h.score
        for h in rank_experts(snapshot, QUERY, "x", 5, weights=timeless)
    }
    assert scores["ana"] == pytest.approx(scores["bo"])


def test_members_without_evidence_are_not_ranked_and_asker_excluded() -> None:
    snapshot = _two_answerers()
    ranked = _ranked(snapshot, replace(VOTES_ONLY, regulars=0), exclude=[0])
    assert "ana" not in ranked and "cy" not in ranked
    assert ranked[0] == "bo"
    assert ranked.index("dee") > ranked.index("bo")  # asking is interest, not expertise
    with_regulars = _ranked(snapshot, exclude=[0])  # cy answers too, just nothing like this
    assert "ana" not in with_regulars and with_regulars[-1] == "cy"


def test_non_discoverable_never_ranked() -> None:
    snapshot = _two_answerers(accepted=True)
    snapshot.members.discoverable[1] = False
    assert "bo" not in _ranked(snapshot)
    assert "bo" not in _ranked(snapshot, ExpertWeights())


def test_keyword_match_finds_rare_term_the_vectors_miss() -> None:
    rows = [
        {
            "author": 0,
            "kind": "answer",
            "vector": unit(1, 0.5, 0),
            "text": "after ORA-01555 raise undo retention",
        },
        {"author": 1, "kind": "answer", "vector": unit(1, 0.3, 0), "text": "general tuning advice"},
    ] + [{"author": 2, "kind": "answer", "vector": unit(0, 0, 1), "text": "printer toner"}] * 3
    snapshot = tiny_snapshot(rows, ["ana", "bo", "cy"])
    hits = rank_experts(snapshot, QUERY, "ORA-01555 during export", 5, weights=VOTES_ONLY)
    assert snapshot.members.ids[hits[0].member] == "ana"
    assert hits[0].support == 1 and hits[0].evidence[0].row == 0
    dense_only = replace(VOTES_ONLY, off=frozenset({"lexical"}))
    assert _ranked(snapshot, dense_only, text="ORA-01555 during export")[0] == "bo"


def test_load_spreading_demotes_often_recommended_member() -> None:
    snapshot = _two_answerers()
    exposure = np.array([50.0, 0.0, 0.0, 0.0])
    assert _ranked(snapshot)[0] == "ana"  # equal evidence: the lower row first
    assert _ranked(snapshot, exposure=exposure)[0] == "bo"
    off = replace(VOTES_ONLY, use_load_spreading=False)
    assert _ranked(snapshot, off, exposure=exposure)[0] == "ana"


def test_scores_are_probabilities_over_the_candidates() -> None:
    hits = rank_experts(_two_answerers(accepted=True), QUERY, "replication lag", 10)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0) and all(0 < s < 1 for s in scores)


def test_switched_off_signal_is_left_out_of_the_score() -> None:
    rows = [
        {"author": 0, "kind": "answer", "vector": unit(1, 0.1, 0), "text": "lag fix", "age_days": 30},
        {"author": 1, "kind": "answer", "vector": unit(1, 0.75, 0), "text": "lag maybe"},
        {"author": 2, "kind": "answer", "vector": unit(0, 0, 1), "text": "toner", "age_days": 30},
    ]
    snapshot = tiny_snapshot(rows, ["ana", "bo", "cy"])
    busy = ExpertWeights(
        evidence=EvidenceWeights(use_recency=False),
        ranker=RankerModel(("dense", "activity_recent"), (1.0, 5.0)),
    )
    assert _ranked(snapshot, busy)[0] == "bo"  # the one active lately
    assert _ranked(snapshot, replace(busy, off=frozenset({"activity"})))[0] == "ana"  # closest


def test_evidence_reports_cosine_and_acceptance() -> None:
    hit = rank_experts(_two_answerers(accepted=True), QUERY, "replication lag", 1, weights=VOTES_ONLY)[0]
    assert hit.accepted_support == 1
    assert 0.9 < hit.evidence[0].similarity <= 1.0
