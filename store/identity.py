"""Who a sign-in names: a member found by email, member id or chat user id."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from store.tables import Member


def member_for_login(sessions: sessionmaker[Session], login: str) -> str | None:
    """The id of the member whose email (any case), id or chat user id is `login`; None if none or several."""
    login = login.strip()
    if not login:
        return None
    with sessions() as session:
        by_email = session.scalars(select(Member.id).where(func.lower(Member.email) == login.lower())).all()
        if by_email:
            return by_email[0] if len(by_email) == 1 else None
        found = session.scalars(
            select(Member.id).where(or_(Member.id == login, Member.chat_user_id == login)).limit(2)
        ).all()
        return found[0] if len(found) == 1 else None
