"""When a build refits what it learns from the whole index, and when it keeps the previous version's.

The static query encoder and the expert ranker are fitted on every contribution (1.6 s and 0.9 s on
history) however little changed, and a fit on texts that differ by a few percent answers nearly the
same. So an incremental build reuses the previous version's two fits while the texts changed since
they were fitted (embedded plus removed, summed over the builds that reused them) stay below
`Settings.refit_share` of the contributions and the feedback on suggestions is what it was then; a
full build, a format change, more change or new feedback refits both. The manifest records the
count (`changed_since_refit`), so the drift a reused fit carries is bounded by the setting.
The communities' topics follow the same rule: while the fits are kept, k-means starts from the
previous version's centroids (and an unchanged community keeps its clustering, models.topics);
when they are refitted, the topics are clustered from scratch too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Fitted:
    """What the previous version's manifest says of its fits."""

    changed_since_refit: int
    feedback_cases: int


def reuse_fits(
    previous: Fitted | None, changed: int, contributions: int, feedback: int, share: float
) -> bool:
    """Whether this build keeps the previous fits: `changed` texts since the version before, of
    `contributions` now, with `feedback` cases."""
    if previous is None or feedback != previous.feedback_cases:
        return False
    return previous.changed_since_refit + changed < share * contributions


def changed_since_refit(previous: Fitted | None, changed: int, reused: bool) -> int:
    """The count the new version's manifest records: grown when it reused the fits, else this build's."""
    return previous.changed_since_refit + changed if reused and previous is not None else 0
