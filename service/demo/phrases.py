"""Phrase templates that turn a topic's vocabulary into questions, answers, solutions and notes.

Templates are filled from a thread's slots: the topic item (task or problem), two topic
terms and everyday context (when, where, what was tried). Several templates per kind and
several values per slot keep the texts varied while staying recognizably on topic.
"""

import random
from collections.abc import Collection

from service.demo.vocabulary import CommunitySpec, Problem, Task, Topic

Item = Task | Problem
Slots = dict[str, str]

PROBLEM_TITLES = (
    "{Symptom}",
    "{term}: {symptom}",
    "{Symptom} since {when}",
    "{Symptom} - any ideas?",
    "Help needed: {symptom}",
)
TASK_TITLES = (
    "How do I {goal}?",
    "Best way to {goal}?",
    "{term}: how to {goal}",
    "Anyone know how to {goal}?",
    "Recommended way to {goal}",
)
PROBLEM_BODIES = (
    "{context} Since {when}, {symptom}. This is in {env}; {term} and {term2} are involved. "
    "I already tried {attempt}, but no luck. {problem_ask}",
    "{Symptom} ({env}). It happens {frequency}. What I looked at so far: {term} and {term2}. {problem_ask}",
    "Hi all, in {env} since {when}: {symptom}. The logs point at {term}, but I am not sure "
    "where to start. {problem_ask}",
    "{context} We keep running into this: {symptom}. {term} is on the version the platform "
    "team recommends. Tried {attempt} already. {problem_ask}",
)
TASK_BODIES = (
    "I need to {goal} for {purpose}. Our setup in {env} involves {term} and {term2}. {task_ask}",
    "{context} Next step for us is to {goal}. Should we start with {term}, or look at {term2} "
    "first? {task_ask}",
    "What is the recommended way to {goal}? Today we do it by hand with {term} and it takes "
    "{duration}. {task_ask}",
    "For {purpose} I have to {goal}. I have read the docs on {term} but would like to hear "
    "what works in practice. {task_ask}",
)
PROBLEM_ANSWERS = (
    "This is almost always {cause}. {Fix}. After that, keep an eye on {term} for a few days.",
    "We hit exactly this {when_past}. Root cause was {cause}. What fixed it: {fix}. "
    "Also double-check {term2}.",
    "{Fix}. That solved it for us in {env}, and {term} has been quiet since. The underlying "
    "issue is {cause}.",
    "Look at {term} first. In my experience the cause is {cause}, and the fix is to {fix}.",
)
TASK_ANSWERS = (
    "For that I would {how}. We do it this way with {term} and it has been stable.",
    "{How}. There is a runbook on the wiki; ping me if {term} gives you trouble.",
    "We did this {when_past}: {how}. Try it on a small scope first; {term2} is where we had surprises.",
    "Short version: {how}. The details depend on your {term} setup, happy to pair on it.",
)
WEAK_ANSWERS = (
    "Not sure, but have you tried {attempt}? We had something similar with {term}.",
    "Could it be {other_cause}? Last time {term} did something like that we had to {other_fix}.",
    "Have you looked at {term2}? Not sure it fits your case. Maybe ask in the {community} channel too.",
    "Same problem here with {term}. Following this thread.",
)
SOLUTION_TITLES = ("{term}: {symptom}", "Known issue: {symptom}", "Fix: {symptom}")
SOLUTION_BODIES = (
    "Symptom: {Symptom}.\nCause: {Cause}.\nFix: {Fix}.\nApplies to: {term}, {term2}.",
    "Problem: {Symptom} (seen in {env}).\nRoot cause: {Cause}.\nResolution: {Fix}.\n"
    "Components: {term}, {term2}.",
)
DOCUMENT_TITLES = (
    "Runbook: how to {goal}",
    "How-to: {goal}",
    "{topic}: checklist and known issues",
)
DOCUMENT_BODY = (
    "This page explains how to {goal}.\n\nIn short: {how}.\n\nKnown issues:\n"
    "- {Symptom}: {fix}.\n- {Symptom2}: {fix2}.\n\nRelated: {terms}."
)
QUESTION_COMMENTS = (
    "Which version of {term} are you on?",
    "Can you post the full error and the {term} logs?",
    "Same here since {when}.",
    "Did this start after a change to {term2}?",
)
ANSWER_COMMENTS = (
    "Thanks, that fixed it.",
    "Confirmed, this also worked in {env}.",
    "Does this apply to {term2} as well?",
    "Good point about {term}, we had missed that.",
)
GOALS = (
    "Get up to speed on {interests} in my first three months.",
    "Learn {interests} well enough to join the on-call rotation.",
    "Find someone who can walk me through {interests}.",
    "Take over the {interests} work from my team by the end of the quarter.",
)

WHEN = (
    "last Tuesday",
    "the last release",
    "the move to the new region",
    "the maintenance window on Sunday",
    "the upgrade last week",
    "this morning",
)
WHEN_PAST = ("last quarter", "last year", "during the migration", "on another project")
ENVS = (
    "production",
    "staging",
    "the EU site",
    "the test lab",
    "the APAC rollout",
    "two customer sites",
    "the shared environment",
    "the pilot",
)
PROBLEM_ASKS = (
    "Any pointers?",
    "Has anyone seen this before?",
    "What would you check first?",
    "Is there a known fix?",
    "Happy to share more logs.",
)
TASK_ASKS = (
    "Any pointers?",
    "What has worked for you?",
    "Is there a runbook somewhere?",
    "Thanks in advance!",
)
CONTEXTS = (
    "Our team took this over from another unit recently.",
    "We are in the middle of a migration.",
    "I'm fairly new to this area, so apologies if this is basic.",
    "This is blocking a customer escalation.",
    "Asking on behalf of my team.",
)
FREQUENCIES = ("every night", "about once a week", "only under load", "on one run in ten")
PURPOSES = ("a customer audit", "the Q3 migration", "a new team", "the quarterly review", "a pilot")
DURATIONS = ("most of a day", "about two hours each time", "several days per quarter")
LOWERCASE_NAMES = frozenset({"dbt", "kubectl", "openssl", "terraform", "gitleaks", "expdp"})
ATTEMPTS = (
    "restarting the service",
    "bumping the timeout",
    "rolling back the last change",
    "searching the wiki",
    "clearing the cache",
)


def capitalize(text: str) -> str:
    """Upper-case the first letter unless the first word is a name or code kept as spelled."""
    first = text.split(" ", 1)[0]
    if first in LOWERCASE_NAMES or not first.isalpha() or first != first.lower():
        return text
    return text[0].upper() + text[1:]


def thread_slots(rng: random.Random, community: CommunitySpec, topic: Topic, item: Item) -> Slots:
    """Slot values shared by one thread's question, answers and comments."""
    term, term2 = rng.sample(topic.terms, 2)
    others = [p for p in topic.problems if p is not item]
    other = rng.choice(others)
    slots = {
        "term": term,
        "term2": term2,
        "topic": topic.name,
        "community": community.name,
        "when": rng.choice(WHEN),
        "when_past": rng.choice(WHEN_PAST),
        "env": rng.choice(ENVS),
        "problem_ask": rng.choice(PROBLEM_ASKS),
        "task_ask": rng.choice(TASK_ASKS),
        "context": rng.choice(CONTEXTS),
        "frequency": rng.choice(FREQUENCIES),
        "purpose": rng.choice(PURPOSES),
        "duration": rng.choice(DURATIONS),
        "attempt": rng.choice(ATTEMPTS),
        "other_cause": other.cause,
        "other_fix": other.fix,
    }
    if isinstance(item, Problem):
        slots.update(symptom=item.symptom, cause=item.cause, fix=item.fix)
    else:
        slots.update(goal=item.goal, how=item.how)
    return slots


def _fill(template: str, slots: Slots) -> str:
    """Fill a template; `{Name}` is the capitalized value of slot `name`."""
    capitals = {key[0].upper() + key[1:]: capitalize(value) for key, value in slots.items()}
    return template.format(**slots, **capitals)


def question(rng: random.Random, slots: Slots) -> tuple[str, str]:
    """Title and body of a question about the thread's task or problem."""
    if "symptom" in slots:
        titles, bodies = PROBLEM_TITLES, PROBLEM_BODIES
    else:
        titles, bodies = TASK_TITLES, TASK_BODIES
    return _fill(rng.choice(titles), slots), _fill(rng.choice(bodies), slots)


def answer(rng: random.Random, slots: Slots, good: bool, taken: Collection[str] = ()) -> str:
    """An answer body unlike the thread's earlier ones (`taken`): good ones name the cause and
    fix (or the how), weak ones guess."""
    if not good:
        templates = WEAK_ANSWERS
    else:
        templates = PROBLEM_ANSWERS if "symptom" in slots else TASK_ANSWERS
    own = {
        **slots,
        "when_past": rng.choice(WHEN_PAST),
        "env": rng.choice(ENVS),
        "attempt": rng.choice(ATTEMPTS),
    }
    texts = [_fill(template, own) for template in templates]
    return rng.choice([text for text in texts if text not in taken] or texts)


def solution(rng: random.Random, slots: Slots) -> tuple[str, str]:
    """Title and symptom / cause / fix body of a validated solution (slots of a problem)."""
    return _fill(rng.choice(SOLUTION_TITLES), slots), _fill(rng.choice(SOLUTION_BODIES), slots)


def document(rng: random.Random, topic: Topic, task: Task) -> tuple[str, str]:
    """Title and body of a how-to page for a task, listing two known problems of the topic."""
    first, second = rng.sample(topic.problems, 2)
    slots = {
        "goal": task.goal,
        "how": task.how,
        "topic": topic.name,
        "symptom": first.symptom,
        "fix": first.fix,
        "symptom2": second.symptom,
        "fix2": second.fix,
        "terms": ", ".join(rng.sample(topic.terms, 4)),
    }
    return _fill(rng.choice(DOCUMENT_TITLES), slots), _fill(DOCUMENT_BODY, slots)


def question_comment(rng: random.Random, slots: Slots) -> str:
    """A follow-up comment on a question."""
    return _fill(rng.choice(QUESTION_COMMENTS), slots)


def answer_comment(rng: random.Random, slots: Slots) -> str:
    """The asker's reaction to an answer."""
    return _fill(rng.choice(ANSWER_COMMENTS), slots)


def goals(rng: random.Random, interest_names: list[str]) -> str:
    """A newcomer's learning goal naming their interests."""
    names = (
        interest_names[0]
        if len(interest_names) == 1
        else (", ".join(interest_names[:-1]) + " and " + interest_names[-1])
    )
    return _fill(rng.choice(GOALS), {"interests": names})
