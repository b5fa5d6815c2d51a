"""The live layer: member state that changes (opt-out, away, hidden topics, mentor capacity) applied over
the served index version, so a change reaches every route of every process within a second, never
waiting for an index build.

Each process polls the store's live revision (two indexed reads) at most once a second, re-reads the
live state only when it moved, and builds one live view per (index version, revision, day) that every
request shares; the view differs from the version only in its member rows, hidden topics and the
mask of contributions erased with their author.
"""

import threading
import time
from dataclasses import replace
from datetime import date

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from models.snapshot import Snapshot
from service.snapshots import SnapshotHolder
from store.preferences import LiveState, live_state, revision, today

CHECK_SECONDS = 1.0


def live_view(snapshot: Snapshot, state: LiveState, day: date) -> Snapshot:
    """`snapshot` with the live state applied: who is listed, who may be recommended on `day`
    (listed and not away), mentor capacities, each member's hidden communities (and their children)
    and the contributions erased with their author (masked like a training view's)."""
    members = snapshot.members
    listed = [member_id not in state.opted_out for member_id in members.ids]
    away = {m for m, until in state.away_until.items() if day < until}
    view = replace(
        members,
        discoverable=[ok and m not in away for ok, m in zip(listed, members.ids, strict=True)],
        mentor_capacity=[state.mentor_capacity.get(m, 0) for m in members.ids],
    )
    view.listed = listed
    return replace(
        snapshot, members=view, hidden_topics=_hidden_keys(snapshot, state), visible=_kept(snapshot, state)
    )


def _kept(snapshot: Snapshot, state: LiveState) -> np.ndarray | None:
    """Contributions still to be served: all but those erased with their author (None: all)."""
    row_of = snapshot.members.row_of
    gone = [row_of[m] for m, deleted in state.erased.items() if deleted and m in row_of]
    return ~np.isin(snapshot.contributions.author, gone) if gone else None


def _hidden_keys(snapshot: Snapshot, state: LiveState) -> np.ndarray:
    """Sorted (member, community) keys of every hidden community and the communities below it."""
    communities = snapshot.communities
    children: dict[int, list[int]] = {}
    for row, parent in enumerate(communities.parent):
        children.setdefault(parent, []).append(row)
    members, places = [], []
    for member_id, topics in state.hidden_topics.items():
        member = snapshot.members.row_of.get(member_id)
        frontier = [communities.row_of[t] for t in topics if t in communities.row_of]
        seen: set[int] = set()
        while member is not None and frontier:
            row = frontier.pop()
            if row not in seen:
                seen.add(row)
                frontier += children.get(row, [])
        members += [member] * len(seen)
        places += sorted(seen)
    keys = snapshot.topic_keys(np.array(members, np.int64), np.array(places, np.int64))
    return np.unique(keys)


class LiveHolder:
    """Serves the holder's version with the live member state applied; the same interface as the holder."""

    def __init__(
        self, holder: SnapshotHolder, sessions: sessionmaker[Session], check_every: float = CHECK_SECONDS
    ) -> None:
        self.holder = holder
        self.sessions = sessions
        self.check_every = check_every
        self._state: LiveState | None = None
        self._checked = float("-inf")
        self._view: tuple[Snapshot, tuple, Snapshot] | None = None  # (version, key, live view)
        self._lock = threading.Lock()

    def get(self) -> Snapshot:
        """The live view of the served version (built once per version, live revision and day)."""
        snapshot, state = self.holder.get(), self.state()
        key = (state.revision, today())
        view = self._view
        if view is None or view[0] is not snapshot or view[1] != key:
            view = (snapshot, key, live_view(snapshot, state, key[1]))
            self._view = view
        return view[2]

    def state(self) -> LiveState:
        """The live state, re-read when the store's revision moved (checked at most once per interval)."""
        if self._state is None or time.monotonic() - self._checked >= self.check_every:
            with self._lock:
                if self._state is None or time.monotonic() - self._checked >= self.check_every:
                    if self._state is None or revision(self.sessions) != self._state.revision:
                        self._state = live_state(self.sessions)
                    self._checked = time.monotonic()
        return self._state

    def invalidate(self) -> None:
        """Check the store at the next request (after this process changed live state)."""
        self._checked = float("-inf")

    @property
    def manifest(self) -> dict:
        """The manifest of the served version."""
        return self.holder.manifest

    def refresh(self) -> None:
        """Load a newly published version, if any."""
        self.holder.refresh()
