"""The expert ranker on hand-made evidence: who wins, and why."""

from dataclasses import replace

import numpy as np

from models.experts import ExpertWeights, rank_experts
from tests.models.tiny_snapshot import tiny_snapshot, unit

QUERY = unit(1, 0, 0)
NO_PRIORS = ExpertWeights(use_activity=False, use_community=False, use_profile=False)


def _ranked(snapshot, weights=NO_PRIORS, text="replication lag", **kwargs):  # type: ignore[no-untyped-def]
    return [
        snapshot.members.ids[h.member]
        for h in rank_experts(snapshot, QUERY, text, 5, weights=weights, **kwargs)
    ]


def _two_answerers(**second: object):  # type: ignore[no-untyped-def]
    rows = [
        {"author": 0, "kind": "answer", "vector": unit(1, 0.1, 0), "text": "replication lag fix"},
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


def test_recent_evidence_outweighs_old() -> None:
    snapshot = _two_answerers()
    snapshot.contributions.created[0] -= 400 * 86_400  # ana's answer is older
    ranked = _ranked(snapshot)
    assert ranked[0] == "bo" and "ana" in ranked
    assert set(_ranked(snapshot, replace(NO_PRIORS, use_recency=False))[:2]) == {"ana", "bo"}


def test_members_without_evidence_are_not_ranked_and_asker_excluded() -> None:
    snapshot = _two_answerers()
    ranked = _ranked(snapshot, exclude=[0])
    assert "ana" not in ranked and "cy" not in ranked
    assert ranked[0] == "bo"
    assert ranked.index("dee") > ranked.index("bo")  # asking is interest, not expertise


def test_non_discoverable_never_ranked() -> None:
    snapshot = _two_answerers(accepted=True)
    snapshot.members.discoverable[1] = False
    assert "bo" not in _ranked(snapshot)


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
    hits = rank_experts(snapshot, QUERY, "ORA-01555 during export", 5, weights=NO_PRIORS)
    assert snapshot.members.ids[hits[0].member] == "ana"
    assert hits[0].support == 1 and hits[0].evidence[0].row == 0
    dense_only = replace(NO_PRIORS, fusion=replace(NO_PRIORS.fusion, use_lexical=False))
    assert _ranked(snapshot, dense_only, text="ORA-01555 during export")[0] == "bo"


def test_load_spreading_demotes_often_recommended_member() -> None:
    snapshot = _two_answerers()
    assert _ranked(
        snapshot, ExpertWeights(use_activity=False, use_community=False, use_profile=False)
    )
    exposure = np.array([50.0, 0.0, 0.0, 0.0])
    ranked = _ranked(snapshot, exposure=exposure)
    assert ranked[0] == "bo"
    off = replace(NO_PRIORS, use_load_spreading=False)
    assert _ranked(snapshot, off, exposure=exposure)[0] == "ana"


def test_evidence_reports_cosine_and_acceptance() -> None:
    hit = rank_experts(
        _two_answerers(accepted=True), QUERY, "replication lag", 1, weights=NO_PRIORS
    )[0]
    assert hit.accepted_support == 1
    assert 0.9 < hit.evidence[0].similarity <= 1.0
