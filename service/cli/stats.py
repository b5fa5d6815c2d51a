"""`copmatch stats`: counts and participation levels per community."""

from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from store.queries import CommunityActivity

HEADERS = ["community", "members", "contributions", "questions", "answers", "accepted"]


def stats() -> None:
    """Print, per community: members, contributions, questions, answers, accepted ones, and how
    many members are core, active, peripheral or newcomer there.

    Participation rule (models.participation): within a community, members are ranked by their
    contributions made directly there, each weighing 0.5 ** (age_days / 365) with the age taken
    from the newest contribution in the store, times 1 for answers, solutions and documents and
    0.5 for questions, comments and posts. Core = top 15% of contributors (at least one),
    active = next 35%, peripheral = the other contributors, newcomer = members without any.
    """
    from models.participation import LEVELS
    from store.db import open_store
    from store.queries import participation_stats
    from store.settings import Settings

    with open_store(Settings())() as session:
        communities = participation_stats(session)
    if not communities:
        typer.echo("no communities yet: import a bundle or a StackExchange dump first")
        return
    newest = max((t for c in communities for _, _, t in c.contributions), default=None)
    rows = [HEADERS + list(LEVELS)] + [_row(c, newest) for c in communities]
    typer.echo(_table(rows))


def _row(community: "CommunityActivity", newest: datetime | None) -> list[str]:
    """One table row: counts, then members per participation level."""
    from models.participation import LEVELS, participation_levels, weighted_counts

    weights = weighted_counts(community.contributions, newest) if newest else {}
    levels = Counter(participation_levels({m: weights.get(m, 0.0) for m in community.members}).values())
    counts = [
        len(community.members),
        len(community.contributions),
        community.count("question"),
        community.count("answer"),
        community.accepted,
    ]
    return [community.community_id] + [str(n) for n in counts + [levels[x] for x in LEVELS]]


def _table(rows: list[list[str]]) -> str:
    """Rows as aligned text columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [v.rjust(w) for v, w in zip(row, widths, strict=True)]
        cells[0] = row[0].ljust(widths[0])
        lines.append("  ".join(cells))
    return "\n".join(lines)
