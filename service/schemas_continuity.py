"""Response bodies of the community health route (v1)."""

from pydantic import BaseModel, Field


class PersonOut(BaseModel):
    member_id: str
    name: str


class ExampleOut(BaseModel):
    contribution_id: str
    title: str


class TopicHealthOut(BaseModel):
    topic_id: str = Field(description="stable within one index version")
    name: str = Field(description="its most distinctive words (class-based TF-IDF)")
    terms: list[str]
    threads: int
    questions: int
    still_asked: bool = Field(description="asked among the organization's newest 15% of contributions")
    effective_experts: float = Field(description="exp(entropy) of the holders' evidence shares")
    active_share: float = Field(description="share of its evidence held by members still active")
    experts: list[PersonOut]
    growers: list[PersonOut] = Field(description="active members with evidence here who could grow into it")
    at_risk: bool
    risks: list[str]
    examples: list[ExampleOut]


class QuarterOut(BaseModel):
    quarter: str
    contributors: int = Field(description="members who contributed then; the levels add up to it")
    core: int
    active: int
    peripheral: int
    newcomer: int = Field(description="first contribution in the community in this quarter")


class CohortOut(BaseModel):
    quarter: str
    newcomers: int
    progressed: int = Field(description="active or core in one of the next two quarters")
    complete: bool = Field(description="both following quarters are in the history")


class ProgressionOut(BaseModel):
    rate: float | None = Field(description="progressed / newcomers over complete cohorts")
    cohorts: list[CohortOut]


class UnansweredQuestionOut(BaseModel):
    contribution_id: str
    title: str
    created_at: str


class UnansweredOut(BaseModel):
    count: int
    questions: list[UnansweredQuestionOut] = Field(description="the newest 20")


class LevelsOut(BaseModel):
    core: int
    active: int
    peripheral: int
    newcomer: int = Field(description="members who have not contributed yet")


class CommunityHealthOut(BaseModel):
    community_id: str
    name: str
    levels_now: LevelsOut
    quarters: list[QuarterOut]
    newcomer_progression: ProgressionOut
    topics: list[TopicHealthOut]
    topics_at_risk: list[TopicHealthOut]
    unanswered: UnansweredOut
    index_version: int
