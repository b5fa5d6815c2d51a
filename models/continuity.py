"""Where a community's knowledge is thin: each topic's effective number of experts and its risk.

Rule: a member is active when their newest contribution is among the organization's newest
RECENT_SHARE of contributions (its own clock, as evidence ages). A topic is still asked when
its newest question is that recent. Effective number of experts = exp(entropy of the holders'
evidence shares); its experts are the holders of at least EXPERT_SHARE of its evidence and at
least RIVAL_SHARE of what its strongest holder holds (the strongest one at least): by the share
alone, two recent unaccepted answers beside one expert's eleven accepted ones made "experts" of
their writers (11-12% each, 14% of the expert's). A topic is at risk when it is still asked and
either held by one or two members (effective number below RISK_EXPERTS) or mostly by members going
quiet (active members hold under ACTIVE_FLOOR of its evidence). Who could grow into it: active
holders other than its experts, strongest first.
"""

import math
from dataclasses import dataclass

import numpy as np

from models.topic_map import Topic

RECENT_SHARE = 0.15
RISK_EXPERTS = 2.5
EXPERT_SHARE = 0.1
RIVAL_SHARE = 0.25
ACTIVE_FLOOR = 0.5
GROWERS = 5

FEW_HOLDERS = "held by one or two members"
GOING_QUIET = "most of its evidence is held by members gone quiet"


@dataclass
class TopicHealth:
    """A topic's experts, how concentrated and current its knowledge is, and whether it is at risk."""

    effective_experts: float
    active_share: float  # of the evidence, held by active members
    asked: bool
    experts: list[int]  # member rows
    growers: list[int]  # member rows
    risks: list[str]

    @property
    def at_risk(self) -> bool:
        """Whether any risk applies."""
        return bool(self.risks)


def effective_number(evidence: np.ndarray) -> float:
    """exp(entropy) of the shares of `evidence` (0 when there is none)."""
    total = float(evidence.sum())
    if total <= 0:
        return 0.0
    shares = evidence[evidence > 0] / total
    return float(math.exp(-(shares * np.log(shares)).sum()))


def active_members(last_seen: np.ndarray) -> np.ndarray:
    """Bool per member row: seen among the organization's newest RECENT_SHARE of contributions."""
    return np.asarray(last_seen) <= RECENT_SHARE


def assess(topic: Topic, active: np.ndarray, shown: np.ndarray) -> TopicHealth:
    """The health of one topic.

    Args:
        topic: the topic with its holders.
        active: bool per member row (`active_members`).
        shown: bool per member row: may be named (discoverable); the others still count.
    Returns:
        Its effective number of experts, experts, growers and risks.
    """
    members = np.asarray(topic.members, dtype=np.int64)
    evidence = np.asarray(topic.evidence, dtype=np.float64)
    effective = effective_number(evidence)
    total = float(evidence.sum())
    active_share = float(evidence[active[members]].sum() / total) if total > 0 else 0.0
    bar = max(EXPERT_SHARE * total, RIVAL_SHARE * evidence.max(initial=0.0))
    top = members[: max(1, int((evidence >= bar).sum()))] if total > 0 else members[:0]
    growers = [int(m) for m in members[len(top) :] if active[m] and shown[m]]
    asked = topic.newest_question <= RECENT_SHARE
    risks = []
    if asked and effective < RISK_EXPERTS:
        risks.append(FEW_HOLDERS)
    if asked and active_share < ACTIVE_FLOOR:
        risks.append(GOING_QUIET)
    return TopicHealth(
        effective_experts=effective,
        active_share=active_share,
        asked=asked,
        experts=[int(m) for m in top if shown[m]],
        growers=growers[:GROWERS],
        risks=risks,
    )
