"""What the encoder sees: titles first, bodies cut by words, an answer inside its question."""

import pytest

from models.texts import (
    LEXICAL_WORD_BUDGET,
    THREAD_BODY_SHARE,
    WORD_BUDGET,
    contribution_text,
    lexical_text,
    profile_text,
)


def words(prefix: str, n: int) -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def test_question_is_title_then_body_with_whitespace_collapsed() -> None:
    text = contribution_text("question", "  Slow   query ", "why is\n\nthis\tslow")
    assert text == "Slow query\nwhy is this slow"


@pytest.mark.parametrize("kind", ["question", "post", "solution", "document"])
def test_long_standalone_body_is_cut_to_the_budget_keeping_the_title(kind: str) -> None:
    text = contribution_text(kind, "replication lag", words("b", 1000))
    assert text.startswith("replication lag\nb0 b1")
    assert len(text.split()) == WORD_BUDGET


def test_answer_keeps_its_own_words_against_a_long_question() -> None:
    text = contribution_text("answer", "", words("a", 500), "deadlock on insert", words("q", 500))
    title, question, answer = text.split("\n")
    assert title == "deadlock on insert"
    assert question.split() == words("q", THREAD_BODY_SHARE).split()
    assert answer.split() == words("a", WORD_BUDGET - 3 - THREAD_BODY_SHARE).split()


def test_short_answer_leaves_its_budget_to_the_question() -> None:
    text = contribution_text("comment", "", "use an index", "slow join", words("q", 500))
    title, question, own = text.split("\n")
    assert own == "use an index"
    assert len(question.split()) == WORD_BUDGET - 2 - 3


def test_short_question_leaves_its_budget_to_the_answer() -> None:
    text = contribution_text("answer", "", words("a", 500), "t", "tiny question")
    assert text.split("\n")[1] == "tiny question"
    assert len(text.split()) == WORD_BUDGET


def test_answer_without_thread_context_is_its_own_body() -> None:
    assert contribution_text("answer", "", "vacuum the table") == "vacuum the table"


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown contribution kind 'tweet'"):
        contribution_text("tweet", "t", "b")


def test_profile_puts_title_and_skills_before_a_cut_profile() -> None:
    text = profile_text("Senior DBA", words("p", 1000), ["PostgreSQL", " replication ", ""])
    title, skills, profile = text.split("\n")
    assert (title, skills) == ("Senior DBA", "PostgreSQL, replication")
    assert profile.startswith("p0 p1") and len(text.split()) == WORD_BUDGET


def test_empty_profile_is_empty_text() -> None:
    assert profile_text("", "", []) == ""


def test_the_keyword_text_keeps_long_bodies_and_code_whole() -> None:
    body = " ".join(f"w{i}" for i in range(1500)) + " raise ValueError('ORA-01555: snapshot too old')"
    text = lexical_text("question", "Undo retention", body)
    assert text.startswith("Undo retention w0 ") and "w1499" in text and "ORA-01555:" in text
    answer = lexical_text("answer", "", "Use `qiskit.execute(circuit)`", "How to run", "a long question body")
    assert answer.splitlines() == ["How to run a long question body", "Use `qiskit.execute(circuit)`"]
    huge = lexical_text("answer", "", "x " * 6000, "title", "body")
    assert huge.split() == ["x"] * LEXICAL_WORD_BUDGET  # its own words first: the context goes
