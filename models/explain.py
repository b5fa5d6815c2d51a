"""One-sentence reasons that say why a member was recommended, from the evidence itself."""

from datetime import UTC, datetime

from models.experts import ExpertHit
from models.participation import LEVELS
from models.snapshot import KINDS, Snapshot


def day_of(timestamp: float) -> str:
    """An ISO date for a unix time."""
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


def expert_reason(snapshot: Snapshot, hit: ExpertHit) -> str:
    """E.g. 'Wrote 3 closely matching contributions (2 accepted), latest 2026-09-12; core member.'"""
    level = LEVELS[snapshot.members.level[hit.member]]
    rows = [e.row for e in hit.evidence]
    if not rows:
        return f"No contribution of theirs matches this question; one of the most active members, {level}."
    latest = day_of(max(float(snapshot.contributions.created[r]) for r in rows))
    kinds = {KINDS[snapshot.contributions.kind[r]] for r in rows}
    noun = "answers" if kinds == {"answer"} else "contributions"
    cosines = [e.similarity for e in hit.evidence if e.similarity is not None]
    closeness = f"best similarity {max(cosines):.2f}" if cosines else "matching key terms"
    accepted = hit.accepted_support
    accepted_text = f" ({accepted} accepted or validated)" if accepted else ""
    return (
        f"Wrote {hit.support} matching {noun}{accepted_text}, {closeness}, latest {latest}; {level} member."
    )
