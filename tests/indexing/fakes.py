"""A deterministic stand-in encoder and a small organization written straight into a store."""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.tables import Community, Contribution, Member, Membership

DIM = 16
START = datetime(2023, 1, 1, tzinfo=UTC)
THREADS = 30  # 30 questions, 60 answers, 30 comments: 120 contributions


class FakeEncoder:
    """Hash-seeded unit vectors (same text, same vector); records every text it embedded."""

    name = "fake/test"
    dim = DIM

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(DIM)
            rows.append(vector / np.linalg.norm(vector))
        return np.array(rows, dtype=np.float32).reshape(len(texts), DIM)


def _member(i: int) -> Member:
    return Member(
        id=f"m{i}",
        name=f"Member {i}",
        title="DBA" if i % 2 else "",
        profile=f"works on topic {i}" if i != 4 else "",
        skills=[f"skill{i}"] if i != 4 else [],
        timezone="Europe/Berlin",
        languages=["en"],
        mentor_capacity=i % 3,
        manager_id="m0" if i else None,
        updated_at=START,
    )


def _thread(t: int) -> list[Contribution]:
    """One question, two answers (the first accepted) and a comment on the question."""
    created = START + timedelta(days=10 * t)
    community = "org/db" if t % 2 else "org"
    common = {"community_id": community, "thread_id": f"q{t}", "updated_at": START}
    return [
        Contribution(
            id=f"q{t}",
            author_id=f"m{t % 5}",
            kind="question",
            created_at=created,
            title=f"question title {t}",
            body=f"question body {t} about indexes",
            score=t,
            **common,
        ),
        Contribution(
            id=f"a{t}x",
            author_id=f"m{(t + 1) % 6}",
            kind="answer",
            parent_id=f"q{t}",
            created_at=created + timedelta(hours=1),
            body=f"first answer {t}",
            accepted=True,
            score=3,
            **common,
        ),
        Contribution(
            id=f"a{t}y",
            author_id=f"m{(t + 2) % 6}",
            kind="answer",
            parent_id=f"q{t}",
            created_at=created + timedelta(hours=2),
            body="",
            **common,
        ),
        Contribution(
            id=f"c{t}",
            author_id="m1",
            kind="comment",
            parent_id=f"q{t}",
            created_at=created + timedelta(hours=3),
            body=f"comment {t}",
            **common,
        ),
    ]


def populate(sessions: sessionmaker[Session]) -> None:
    """Two communities (org, and its sub-community org/db), six members, THREADS threads."""
    with transaction(sessions) as session:
        session.add_all(
            [
                Community(id="org", name="Organization", description="everything", updated_at=START),
                Community(
                    id="org/db",
                    name="Databases",
                    description="database administration",
                    tags=["sql"],
                    parent_id="org",
                    updated_at=START,
                ),
            ]
        )
        session.add_all([_member(i) for i in range(6)])
        session.flush()
        session.add_all([Membership(member_id=f"m{i}", community_id="org/db") for i in range(1, 4)])
        session.add_all([c for t in range(THREADS) for c in _thread(t)])


def edit(sessions: sessionmaker[Session], contribution_id: str, body: str, minutes: int = 1) -> None:
    """Change a contribution's body, stamping updated_at as an importer does."""
    with transaction(sessions) as session:
        row = session.get(Contribution, contribution_id)
        row.body = body
        row.updated_at = START + timedelta(days=1000, minutes=minutes)
