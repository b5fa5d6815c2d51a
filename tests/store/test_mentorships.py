"""Mentorship state machine, capacity on accept (also under concurrent accepts), past mentors."""

import threading
from datetime import UTC, datetime

import pytest

from store.db import transaction
from store.mentorships import (
    MentorFullError,
    MentorshipConflictError,
    MentorshipNotFoundError,
    active_counts,
    change,
    get,
    past_mentors,
    propose,
)
from store.tables import Member

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def people(sessions):  # type: ignore[no-untyped-def]
    """Mentor `boss` (capacity 2), mentor `solo` (capacity 1) and twelve newcomers n0..n11."""
    with transaction(sessions) as session:
        session.add(Member(id="boss", name="Boss", mentor_capacity=2, updated_at=NOW))
        session.add(Member(id="solo", name="Solo", mentor_capacity=1, updated_at=NOW))
        session.add_all([Member(id=f"n{i}", name=f"New {i}", updated_at=NOW) for i in range(12)])
    return sessions


def test_proposed_then_accepted_then_ended(people) -> None:
    proposed = propose(people, "boss", "n0")
    assert proposed.status == "proposed"
    assert change(people, proposed.id, "accept").status == "accepted"
    assert active_counts(people) == {"boss": 1}
    ended = change(people, proposed.id, "end")
    assert ended.status == "ended" and ended.updated_at >= proposed.updated_at
    stored = get(people, proposed.id)
    assert stored.status == "ended" and stored.updated_at.tzinfo is not None
    assert active_counts(people) == {}


def test_proposed_can_be_declined_but_not_ended(people) -> None:
    proposed = propose(people, "boss", "n0")
    with pytest.raises(MentorshipConflictError, match="cannot end mentorship .* it is proposed"):
        change(people, proposed.id, "end")
    assert change(people, proposed.id, "decline").status == "declined"
    with pytest.raises(MentorshipConflictError, match="it is declined, not proposed"):
        change(people, proposed.id, "accept")


def test_unknown_ids_and_self_mentoring_are_refused(people) -> None:
    with pytest.raises(MentorshipNotFoundError, match="unknown mentorship id 99"):
        change(people, 99, "accept")
    with pytest.raises(MentorshipNotFoundError, match="'ghost'"):
        propose(people, "ghost", "n0")
    with pytest.raises(MentorshipConflictError, match="themself"):
        propose(people, "n0", "n0")
    with pytest.raises(MentorshipConflictError, match="'n1' does not mentor"):
        propose(people, "n1", "n0")
    with pytest.raises(ValueError, match="action must be one of"):
        change(people, propose(people, "boss", "n0").id, "promote")


def test_an_open_pair_cannot_be_proposed_twice(people) -> None:
    first = propose(people, "boss", "n0")
    with pytest.raises(MentorshipConflictError, match="already open"):
        propose(people, "boss", "n0")
    change(people, first.id, "decline")
    assert propose(people, "boss", "n0").status == "proposed"


def test_accept_beyond_capacity_is_refused(people) -> None:
    ids = [propose(people, "boss", f"n{i}").id for i in range(3)]
    change(people, ids[0], "accept")
    change(people, ids[1], "accept")
    with pytest.raises(MentorFullError, match="mentor 'boss' is full: 2 of 2"):
        change(people, ids[2], "accept")
    change(people, ids[0], "end")
    assert change(people, ids[2], "accept").status == "accepted"


@pytest.mark.parametrize("mentor, capacity", [("boss", 2), ("solo", 1)])
def test_concurrent_accepts_never_overbook(people, mentor, capacity) -> None:
    ids = [propose(people, mentor, f"n{i}").id for i in range(12)]
    start = threading.Barrier(len(ids))
    outcomes: list[str] = []

    def accept(mentorship_id: int) -> None:
        start.wait()
        try:
            change(people, mentorship_id, "accept")
            outcomes.append("accepted")
        except MentorFullError:
            outcomes.append("full")

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted"] * capacity + ["full"] * (12 - capacity)
    assert active_counts(people) == {mentor: capacity}


def test_past_mentors_of_a_mentee(people) -> None:
    change(people, propose(people, "boss", "n0").id, "decline")
    accepted = propose(people, "solo", "n0")
    change(people, accepted.id, "accept")
    change(people, accepted.id, "end")
    propose(people, "boss", "n1")
    assert past_mentors(people, "n0") == {"boss", "solo"}
    assert past_mentors(people, "n5") == set()
