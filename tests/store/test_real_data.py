"""Importers on the shared real data (skipped where ../shared/data is absent)."""

import pytest
from sqlalchemy import func, select

from evaluation.data import DATA
from store.importers.bundle import import_bundle
from store.importers.stackexchange import import_stackexchange, read_post_links
from store.tables import Contribution, ContributionLink, Member

QUANTUM = DATA / "stackexchange-quantumcomputing"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason="shared data absent")


def _count(sessions, table, *where) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def test_dba_bundle_imports_and_reimports_unchanged(sessions):
    report = import_bundle(sessions, DATA / "bundles" / "dba")
    assert report.tables["members"].added == 3475
    assert report.tables["contributions"].added == 9882
    assert _count(sessions, Member) == 3475
    assert _count(sessions, Contribution) == 9882
    again = import_bundle(sessions, DATA / "bundles" / "dba")
    assert not again.changed
    assert again.tables["contributions"].unchanged == 9882


def test_quantum_computing_dump(sessions):
    import_stackexchange(sessions, QUANTUM)
    assert not import_stackexchange(sessions, QUANTUM).changed
    assert _count(sessions, Contribution, Contribution.kind == "question") == 612
    assert _count(sessions, Contribution, Contribution.kind == "answer") == 1060
    assert _count(sessions, Contribution, Contribution.accepted) == 389
    assert _count(sessions, Contribution, Contribution.kind == "comment") == 3413
    assert _count(sessions, ContributionLink, ContributionLink.kind == "duplicate") == 11
    with sessions() as session:
        question = session.get(Contribution, "q1")
        thread = {
            c.id: c
            for c in session.scalars(select(Contribution).where(Contribution.thread_id == "q1"))
            if c.kind != "comment"
        }
        accepted_author = session.get(Member, thread["a18"].author_id)
    assert question.title == "Can a Turing machine simulate a quantum computer?"
    assert (question.author_id, question.community_id) == ("u7", "quantumcomputing/simulation")
    assert question.tags == ["simulation", "quantum-turing-machine"]
    assert "quantum Turing machine" in question.body and "<p>" not in question.body
    assert set(thread) == {"q1", "a5", "a18", "a1956"}
    assert [i for i, c in thread.items() if c.accepted] == ["a18"]
    assert (accepted_author.id, accepted_author.name) == ("u15", "Nat")
    assert thread["a18"].tags == question.tags


def test_quantum_computing_post_links():
    links = read_post_links(QUANTUM)
    assert len(links) == 327
    assert ("q7", "q3", 1) in links
    assert sum(kind == 3 for _, _, kind in links) == 14
