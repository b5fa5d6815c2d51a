"""What a newcomer wants to learn, as embedded topics: their goals, interests and first contributions."""

import numpy as np

from models.mentors import Topic
from models.snapshot import Snapshot
from service.lookup import MatchRequestError
from service.queries import Embedder

LABEL_CHARS = 80
RECENT_CONTRIBUTIONS = 3  # a newcomer's latest contributions that count as topics
NOTHING_TO_MATCH = "nothing to match mentors on: no interests, contributions or profile"


class NothingToMatchError(MatchRequestError):
    """No text, and a member without interests, contributions or profile."""


def newcomer_topics(
    snapshot: Snapshot, encoder: Embedder, mentee: int | None, text: str | None
) -> list[Topic]:
    """`text`, each interest and the latest contributions of the mentee (a member row), embedded;
    their profile when there is none of these."""
    texts = [text] if text else []
    if mentee is not None:
        texts += snapshot.members.interests[mentee]
        texts += recent_titles(snapshot, mentee)
    vectors = encoder.encode(texts) if texts else np.zeros((0, 1), np.float32)
    topics = [Topic(_label(t), t, v) for t, v in zip(texts, vectors, strict=True)]
    if not topics and mentee is not None and snapshot.profile_vectors[mentee].any():
        skills = ", ".join(snapshot.members.skills[mentee])
        label = _label(skills) if skills else "what their profile describes"
        topics.append(Topic(label, skills, snapshot.profile_vectors[mentee]))
    if not topics:
        raise NothingToMatchError(f"{NOTHING_TO_MATCH}; send a text of goals")
    return topics


def recent_titles(snapshot: Snapshot, member: int) -> list[str]:
    """Thread titles of the member's latest contributions."""
    contributions = snapshot.contributions
    rows = np.flatnonzero(np.asarray(contributions.author) == member)
    latest = rows[np.argsort(-np.asarray(contributions.created)[rows], kind="stable")]
    titles = dict.fromkeys(contributions.title[int(r)] for r in latest)
    return [t for t in titles if t][:RECENT_CONTRIBUTIONS]


def _label(text: str) -> str:
    """A text short enough to name a topic in a reason."""
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1].rstrip() + "…"
