"""The live layer without an encoder: what a live view changes, and when a process re-reads the store."""

from dataclasses import replace
from datetime import date

import numpy as np

from models.evidence import hidden_evidence
from models.experts import ExpertWeights, rank_experts
from models.ranker import RankerModel
from models.snapshot import CommunityRows
from service.live import LiveHolder, live_view
from store.db import open_store
from store.importers.bundle import import_bundle
from store.preferences import LiveState, update_preferences
from store.settings import Settings
from tests.models.tiny_snapshot import tiny_snapshot, unit
from tests.store.bundles import write_bundle

QUERY = unit(1, 0, 0)
VOTES_ONLY = ExpertWeights(ranker=RankerModel(("dense", "lexical"), (1.0, 0.5)))
TODAY = date(2026, 12, 2)


def _snapshot(members: list[str]):  # type: ignore[no-untyped-def]
    """ann answers in the parent community and its child; bob in the child; cy in the parent."""
    rows = [
        {
            "author": 0,
            "kind": "answer",
            "vector": unit(1, 0.1, 0),
            "text": "replication lag fix",
            "community": 0,
        },
        {"author": 0, "kind": "answer", "vector": unit(1, 0.2, 0), "text": "replication lag", "community": 1},
        {
            "author": 1,
            "kind": "answer",
            "vector": unit(1, 0.1, 0),
            "text": "replication lag fix",
            "community": 1,
        },
        {"author": 2, "kind": "answer", "vector": unit(1, 0.3, 0), "text": "replication lag", "community": 0},
    ]
    snapshot = tiny_snapshot(rows, members)
    communities = CommunityRows(
        ids=["db", "db/pg"], names=["DB", "PG"], descriptions=["", ""], parent=[-1, 0]
    )
    return replace(snapshot, communities=communities)


def _ranked(snapshot, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    hits = rank_experts(snapshot, QUERY, "replication lag", 5, weights=VOTES_ONLY, **kwargs)
    return [snapshot.members.ids[h.member] for h in hits]


def test_a_live_view_applies_opt_out_away_hidden_topics_and_capacity() -> None:
    base = _snapshot(["ann", "bob", "cy"])
    state = LiveState(
        revision=(1, None),
        opted_out={"bob"},
        away_until={"cy": date(2026, 12, 3), "ann": TODAY},  # ann is back today
        hidden_topics={"ann": ["db/pg"]},
        mentor_capacity={"ann": 2},
    )
    view = live_view(base, state, TODAY)
    assert view.members.listed == [True, False, True]
    assert view.members.discoverable == [True, False, False]
    assert view.members.mentor_capacity == [2, 0, 0]
    assert hidden_evidence(view, np.arange(4)).tolist() == [False, True, False, False]
    assert view.cache is base.cache and base.members.listed == [True, True, True]  # the version untouched
    assert sorted(_ranked(base)) == ["ann", "bob", "cy"]
    assert _ranked(view) == ["ann"]
    assert _ranked(view, community=1) == []  # ann hides db/pg: not recommended for it


def test_hiding_a_community_hides_its_children_and_erasure_masks_contributions() -> None:
    base = _snapshot(["ann", "bob", "cy"])
    state = LiveState(revision=(1, None), hidden_topics={"ann": ["db"]}, erased={"bob": True})
    view = live_view(base, state, TODAY)
    assert hidden_evidence(view, np.arange(4)).tolist() == [True, True, False, False]
    assert view.visible.tolist() == [True, True, False, True]
    assert "bob" not in _ranked(view) and "ann" not in _ranked(view)


class _Holder:
    def __init__(self, snapshot) -> None:  # type: ignore[no-untyped-def]
        self.snapshot = snapshot

    def get(self):  # type: ignore[no-untyped-def]
        return self.snapshot


def test_a_process_reads_changes_at_its_next_check_and_at_once_after_its_own(tmp_path) -> None:
    sessions = open_store(Settings(home=tmp_path, _env_file=None))
    import_bundle(sessions, write_bundle(tmp_path / "b"))
    base = _snapshot(["u1", "u2", "u3"])
    holder = LiveHolder(_Holder(base), sessions, check_every=3600)  # type: ignore[arg-type]
    first = holder.get()
    assert first.members.listed == [True, True, True] and holder.get() is first  # one view, shared
    update_preferences(sessions, "u2", {"discoverable": False})  # another process's change
    assert holder.get() is first  # not checked again yet
    holder.check_every = 0
    assert holder.get().members.listed == [True, False, True]
    assert holder.get().members.mentor_capacity == [0, 0, 2]  # u3 mentors, as imported
    holder.check_every = 3600
    update_preferences(sessions, "u3", {"mentor_capacity": 0})
    holder.invalidate()  # this process made the change
    assert holder.get().members.mentor_capacity == [0, 0, 0]
