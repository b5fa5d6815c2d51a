"""The member self-service facade: read and change a member's preferences (no HTTP here).

The HTTP routes and the web app's "Me" page both call this one class: only the member themself
(a key bound to them, or the web app's signed-in member) or an admin may, and this process sees
the change at its next request (every other process within a second, through the live layer).
"""

from sqlalchemy.orm import Session, sessionmaker

from service.auth import Caller, require_acting_for
from service.live import LiveHolder
from store.preferences import Preferences, get_preferences, update_preferences


class MemberPreferences:
    """Preferences of members, as their owners and admins see and change them."""

    def __init__(self, sessions: sessionmaker[Session], live: LiveHolder) -> None:
        self.sessions = sessions
        self.live = live

    def get(self, caller: Caller, member_id: str) -> Preferences:
        """The member's preferences in force. ForbiddenError unless self or admin; UnknownMemberError."""
        require_acting_for(caller, member_id)
        return get_preferences(self.sessions, member_id)

    def update(self, caller: Caller, member_id: str, changes: dict) -> Preferences:
        """Set the given fields (discoverable, away_until, hidden_topics, mentor_capacity; null resets).

        Raises ForbiddenError unless self or admin, UnknownMemberError, PreferenceError for a bad value.
        """
        require_acting_for(caller, member_id)
        updated = update_preferences(self.sessions, member_id, changes)
        self.live.invalidate()
        return updated
