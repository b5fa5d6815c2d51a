"""`copmatch stats`: counts and participation levels per community."""

import typer

HEADERS = ["community", "members", "contributions", "questions", "answers", "accepted"]


def stats() -> None:
    """Print, per community: members, contributions, questions, answers and accepted ones made
    there, and how many members are core, active, peripheral or newcomer there (the rule of
    models.participation, the same the index and GET /v1/members/{id} use)."""
    from indexing.store_levels import store_levels
    from models.participation import LEVELS
    from store.db import open_store
    from store.queries import community_counts
    from store.settings import Settings

    settings = Settings()
    with open_store(settings)() as session:
        counts = community_counts(session)
        levels = store_levels(session)
    if not counts:
        where = settings.store_location
        typer.echo(f"no communities yet in {where}: import a bundle or a StackExchange dump first")
        return
    shown = list(reversed(LEVELS))
    rows = [HEADERS + shown]
    for row, c in enumerate(counts):
        by_level = levels.members_by_level(row)
        numbers = [sum(by_level.values()), c.contributions, c.questions, c.answers, c.accepted]
        rows.append([c.community_id] + [str(n) for n in numbers + [by_level[x] for x in shown]])
    typer.echo(_table(rows))


def _table(rows: list[list[str]]) -> str:
    """Rows as aligned text columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [v.rjust(w) for v, w in zip(row, widths, strict=True)]
        cells[0] = row[0].ljust(widths[0])
        lines.append("  ".join(cells))
    return "\n".join(lines)
