"""A snapshot's topics as stored: per community, each topic's name, questions and holders."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Topic:
    """One topic of one community: its name, how much it is asked, and who holds its evidence."""

    community: int  # community row
    name: str
    terms: list[str]
    threads: int
    questions: int
    newest_question: float  # age share (organization clock) of its newest question; 1.0 = none
    examples: list[int]  # question rows nearest the topic's centre
    members: list[int]  # member rows holding evidence, strongest first
    evidence: list[float]  # their evidence worth, aligned with members
    contributions: list[int]  # their evidence contributions here, aligned
    accepted: list[int]  # of which accepted answers or validated solutions


@dataclass
class TopicMap:
    """Every community's topics and when each member was last seen (age share, 1.0 = never)."""

    topics: list[Topic] = field(default_factory=list)
    last_seen: list[float] = field(default_factory=list)

    def of_community(self, community: int) -> list[Topic]:
        """The topics of one community row."""
        return [t for t in self.topics if t.community == community]

    def to_json(self) -> dict[str, Any]:
        """The map as a JSON-ready dict."""
        return {"topics": [asdict(t) for t in self.topics], "last_seen": self.last_seen}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TopicMap":
        """Inverse of `to_json`."""
        return cls([Topic(**t) for t in data["topics"]], list(data["last_seen"]))
