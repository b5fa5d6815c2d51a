"""What replicas share through the store (on SQLite and PostgreSQL): keys, feedback, exposures.

The concurrent cases use one connection per thread, which on PostgreSQL really run at once.
"""

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from store.exposures import add_exposures, exposures_since
from store.feedback import add_feedback
from store.keys import ApiKeyError, create_key, find_key
from store.tables import Feedback, Member

THREADS = 8


def _at_once(work, count: int) -> None:  # type: ignore[no-untyped-def]
    """Run work(i) for i < count in threads released together; re-raise the first failure."""
    start, errors = threading.Barrier(count), []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except Exception as error:  # collected, re-raised in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def test_keys_are_found_by_plaintext_and_replaced_by_name(sessions) -> None:  # type: ignore[no-untyped-def]
    first = create_key(sessions, name="bot", role="reader")
    assert find_key(sessions, first) == ("bot", "reader", None)
    with pytest.raises(ApiKeyError, match="exists already"):
        create_key(sessions, name="bot", role="admin")
    second = create_key(sessions, name="bot", role="admin", replace=True)
    assert find_key(sessions, first) is None and find_key(sessions, second) == ("bot", "admin", None)
    assert find_key(sessions, "cm_not-a-key") is None


def test_feedback_from_concurrent_requests_is_all_kept(sessions) -> None:  # type: ignore[no-untyped-def]
    with sessions() as session, session.begin():  # feedback names members the store holds
        session.add_all(
            Member(id=f"m{i}", name=f"M {i}", updated_at=datetime.now(UTC)) for i in range(THREADS)
        )

    def give(i: int) -> None:
        add_feedback(
            sessions,
            recommendation="experts",
            item_id=f"m{i}",
            verdict="helpful",
            query="who knows vacuum",
            index_version=3,
            api_key_name="bot",
        )

    _at_once(give, THREADS)
    with sessions() as session:
        rows = session.execute(select(Feedback.item_id, Feedback.index_version)).all()
    assert sorted(rows) == sorted((f"m{i}", 3) for i in range(THREADS))


def test_exposures_add_up_across_flushes(sessions) -> None:  # type: ignore[no-untyped-def]
    add_exposures(sessions, {("ana", "2026-01-01"): 2, ("bo", "2026-01-02"): 1})
    add_exposures(sessions, {("ana", "2026-01-01"): 3, ("ana", "2026-01-02"): 1})
    assert exposures_since(sessions, "2026-01-01") == {
        ("ana", "2026-01-01"): 5,
        ("ana", "2026-01-02"): 1,
        ("bo", "2026-01-02"): 1,
    }
    assert exposures_since(sessions, "2026-01-02") == {("ana", "2026-01-02"): 1, ("bo", "2026-01-02"): 1}


def test_concurrent_flushes_of_the_same_members_lose_nothing(sessions) -> None:  # type: ignore[no-untyped-def]
    """Replicas flush overlapping members at once: every count arrives, no flush fails."""
    members = [f"m{i}" for i in range(50)]

    def flush(i: int) -> None:  # each replica's members in another order
        add_exposures(sessions, {(m, "2026-01-01"): 1 for m in members[i:] + members[:i]})

    _at_once(flush, THREADS)
    assert Counter(exposures_since(sessions, "2026-01-01")) == Counter(
        {(m, "2026-01-01"): THREADS for m in members}
    )
