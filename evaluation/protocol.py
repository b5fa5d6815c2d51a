"""The expert-finding protocol of ../shared/spec/evaluation.md: time split, test questions, qrels.

Questions ordered by (created_at, id); the last 10% (at least one) are tests; the cutoff T is the
first test question's created_at. Only contributions created before T may build the service. A
test question is kept when its accepted answer's author answered at least once before T.
Relevance: the accepted answer's author 2, every other answerer 1.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ir_measures import Qrel

from store.importers.records import Batch, ContributionRecord
from store.importers.stackexchange import read_stackexchange

TEST_SHARE = 10  # the last 1/10 of the questions are tests
ACCEPTED, ANSWERED = 2, 1
TOP_TAGS = 40  # sub-communities of an imported StackExchange dump, as `copmatch import` makes


@dataclass
class HeldOutQuestion:
    """A kept test question: what is asked, by whom, and who answered it."""

    id: str
    asker: str
    text: str
    expert: str  # the accepted answer's author
    answerers: set[str] = field(default_factory=set)  # every answerer, the expert included


@dataclass
class ExpertSplit:
    """The time split of one dataset under the protocol."""

    cutoff: datetime
    n_tests: int
    kept: list[HeldOutQuestion]
    dropped: list[str]  # ids of test questions no method can answer

    def qrels(self) -> list[Qrel]:
        """Graded relevance: the expert 2, other answerers 1.

        A self-answered question keeps the asker as its expert, as the spec counts it: since
        rankings exclude the asker, it scores 0 for every method.
        """
        return [
            Qrel(q.id, member, ACCEPTED if member == q.expert else ANSWERED)
            for q in self.kept
            for member in sorted(q.answerers)
        ]


def read_dump(path: Path) -> Batch:
    """A raw StackExchange dump folder as validated records, as `copmatch import stackexchange`."""
    return read_stackexchange(path, path.name.removeprefix("stackexchange-"), TOP_TAGS)


def question_text(record: ContributionRecord) -> str:
    """A question as asked, title and body: the query every method ranks by."""
    return f"{record.title}\n{record.body}"


def ordered_questions(records: list[ContributionRecord]) -> list[ContributionRecord]:
    """Questions by (created_at, id)."""
    return sorted((r for r in records if r.kind == "question"), key=lambda r: (r.created_at, r.id))


def held_out_questions(records: list[ContributionRecord], back: int = 0) -> list[ContributionRecord]:
    """The last 10% of the questions (at least one), or with `back` > 0 the tenth `back` tenths before.

    `back` = 0 is the spec's split; a rolling-origin evaluation repeats it with back = 1, 2, ...
    ValueError when there is no question, or fewer than `back` + 1 tenths of them.
    """
    questions = ordered_questions(records)
    if not questions:
        raise ValueError("the dataset has no contribution of kind 'question' to test on")
    size = max(1, len(questions) // TEST_SHARE)
    end = len(questions) - back * size
    if end - size < 1:
        raise ValueError(f"{len(questions)} questions are too few for a test window {back} tenths back")
    return questions[end - size : end]


def split_experts(records: list[ContributionRecord], back: int = 0) -> ExpertSplit:
    """Apply the protocol to a dataset's contributions, at the spec's cutoff or `back` tenths earlier.

    Args:
        records: every contribution of the dataset.
        back: 0 for the spec's split; k for the test window k tenths of the questions earlier.
    Returns:
        The cutoff, the kept test questions with their answerers, and the dropped ones.
    """
    tests = held_out_questions(records, back)
    cutoff = tests[0].created_at
    answers: dict[str, list[ContributionRecord]] = {}
    for r in records:
        if r.kind == "answer" and r.parent_id is not None:
            answers.setdefault(r.parent_id, []).append(r)
    known = {r.author_id for r in records if r.kind == "answer" and r.created_at < cutoff}
    kept, dropped = [], []
    for q in tests:
        replies = answers.get(q.id, [])
        experts = [a.author_id for a in replies if a.accepted]
        if experts and experts[0] in known:
            answerers = {a.author_id for a in replies}
            kept.append(HeldOutQuestion(q.id, q.author_id, question_text(q), experts[0], answerers))
        else:
            dropped.append(q.id)
    return ExpertSplit(cutoff, len(tests), kept, dropped)


def before(batch: Batch, cutoff: datetime) -> Batch:
    """What the service may know at the cutoff: earlier contributions whose parents are kept too,
    memberships joined before it; communities and members (the roster) as they are."""
    records = {item.record.id: item.record for item in batch.contributions}
    known: dict[str, bool] = {}

    def kept(cid: str) -> bool:
        if cid not in known:
            known[cid] = False  # a parent chain that loops keeps nothing
            r = records.get(cid)
            parent_ok = r is not None and (r.parent_id is None or kept(r.parent_id))
            known[cid] = parent_ok and r is not None and r.created_at < cutoff
        return known[cid]

    contributions = [item for item in batch.contributions if kept(item.record.id)]
    memberships = None
    if batch.memberships is not None:
        memberships = [
            m for m in batch.memberships if m.record.joined_at is None or m.record.joined_at < cutoff
        ]
    return Batch(batch.communities, batch.members, memberships, contributions)
