"""The mentorship facade: propose, change and read mentorships as a caller (no HTTP here).

The HTTP routes and the web app call this one class, so the rule is the same everywhere: only the
mentor, the mentee (a key bound to them, or the web app's signed-in member) or an admin.
"""

from sqlalchemy.orm import Session, sessionmaker

from service.auth import Caller, ForbiddenError, require_acting_for
from store import mentorships
from store.mentorships import MentorshipRecord


class Mentorships:
    """Mentorships as their two members and admins see and change them."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def propose(self, caller: Caller, mentor_id: str, mentee_id: str) -> MentorshipRecord:
        """Propose one; ForbiddenError unless mentor, mentee or admin (store errors as there)."""
        require_acting_for(caller, mentor_id, mentee_id)
        return mentorships.propose(self.sessions, mentor_id, mentee_id)

    def get(self, caller: Caller, mentorship_id: int) -> MentorshipRecord:
        """One mentorship; ForbiddenError unless it is the caller's (or an admin's)."""
        found = mentorships.get(self.sessions, mentorship_id)
        require_acting_for(caller, found.mentor_id, found.mentee_id)
        return found

    def change(self, caller: Caller, mentorship_id: int, action: str) -> MentorshipRecord:
        """Accept, decline or end one of the caller's mentorships (any, for an admin)."""
        self.get(caller, mentorship_id)
        return mentorships.change(self.sessions, mentorship_id, action)

    def mine(self, caller: Caller, status: str | None = None, limit: int = 100) -> list[MentorshipRecord]:
        """The caller's mentorships, newest first (all for an admin); ForbiddenError for nobody's key."""
        if caller.role == "admin":
            return mentorships.list_mentorships(self.sessions, None, status, limit)
        if caller.member_id is None:
            raise ForbiddenError("this key acts as no member (see `copmatch keys create --member`)")
        return mentorships.list_mentorships(self.sessions, caller.member_id, status, limit)
