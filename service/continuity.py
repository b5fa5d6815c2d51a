"""The community health report and a member's topics, shaped for the API (no HTTP here).

Everything comes from the current snapshot (the live view: opt-outs and hidden topics apply at
once): its topics and holders (found at index time) and its contributions. Members who opted
out, or hide the topic's community, count in every figure but are never named there.
"""

import numpy as np

from models.continuity import TopicHealth, active_members, assess
from models.evidence import hiding_members
from models.explain import day_of
from models.health import community_health
from models.snapshot import Snapshot
from models.topic_map import Topic

UNANSWERED_SHOWN = 20
MEMBER_TOPICS = 15


def _people(snapshot: Snapshot, rows: list[int]) -> list[dict]:
    """Members as {member_id, name}."""
    return [{"member_id": snapshot.members.ids[m], "name": snapshot.members.names[m]} for m in rows]


def topic_item(snapshot: Snapshot, number: int, topic: Topic, health: TopicHealth) -> dict:
    """The API shape of one topic and its health."""
    c = snapshot.contributions
    return {
        "topic_id": f"t{number}",
        "name": topic.name,
        "terms": topic.terms,
        "threads": topic.threads,
        "questions": topic.questions,
        "still_asked": health.asked,
        "effective_experts": round(health.effective_experts, 2),
        "active_share": round(health.active_share, 3),
        "experts": _people(snapshot, health.experts),
        "growers": _people(snapshot, health.growers),
        "at_risk": health.at_risk,
        "risks": health.risks,
        "examples": [{"contribution_id": c.ids[r], "title": c.title[r]} for r in topic.examples],
    }


def topic_health(snapshot: Snapshot, community: int) -> list[tuple[int, Topic, TopicHealth]]:
    """(number, topic, health) of each topic of a community row, the most asked first."""
    active = active_members(np.asarray(snapshot.topics.last_seen))
    shown = np.array(snapshot.members.listed, dtype=bool)
    shown[hiding_members(snapshot, community)] = False
    found = [(n, t) for n, t in enumerate(snapshot.topics.topics) if t.community == community]
    found.sort(key=lambda item: (-item[1].questions, item[0]))
    return [(n, t, assess(t, active, shown)) for n, t in found]


def health_report(snapshot: Snapshot, community: int) -> dict:
    """The whole health report of a community row."""
    health = community_health(snapshot, community)
    topics = [topic_item(snapshot, n, t, h) for n, t, h in topic_health(snapshot, community)]
    c = snapshot.contributions
    return {
        "community_id": snapshot.communities.ids[community],
        "name": snapshot.communities.names[community],
        "levels_now": health.levels_now,
        "quarters": [
            {"quarter": q.label, "contributors": q.contributors, **q.counts} for q in health.quarters
        ],
        "newcomer_progression": {
            "rate": None if health.progression is None else round(health.progression, 3),
            "cohorts": [
                {
                    "quarter": k.label,
                    "newcomers": k.newcomers,
                    "progressed": k.progressed,
                    "complete": k.complete,
                }
                for k in health.cohorts
            ],
        },
        "topics": topics,
        "topics_at_risk": [t for t in topics if t["at_risk"]],
        "unanswered": {
            "count": len(health.unanswered),
            "questions": [
                {"contribution_id": c.ids[r], "title": c.title[r], "created_at": day_of(float(c.created[r]))}
                for r in health.unanswered[:UNANSWERED_SHOWN]
            ],
        },
        "index_version": snapshot.version,
    }


def member_topics(snapshot: Snapshot, member: int) -> list[dict]:
    """The topics a member holds evidence in, by name, the strongest evidence first (none of the
    communities they hide)."""
    held = []
    for topic in snapshot.topics.topics:
        if member in topic.members and member not in hiding_members(snapshot, topic.community):
            i = topic.members.index(member)
            held.append((topic.evidence[i], topic, topic.contributions[i], topic.accepted[i]))
    held.sort(key=lambda item: -item[0])
    return [
        {
            "topic": topic.name,
            "community_id": snapshot.communities.ids[topic.community],
            "contributions": count,
            "accepted": accepted,
        }
        for _, topic, count, accepted in held[:MEMBER_TOPICS]
    ]
