"""A long question is cut to its head and tail for the encoder."""

from models.texts import QUERY_HEAD_CHARS, QUERY_TAIL_CHARS, query_text


def test_short_question_is_kept_whole() -> None:
    text = "Kafka consumer lag after the upgrade?\nWe see it on every partition."
    assert query_text(text) == text


def test_long_question_keeps_head_and_tail_on_word_boundaries() -> None:
    text = "title words here " + " ".join(f"w{i}" for i in range(5000)) + " final-error-line"
    cut = query_text(text)
    head, tail = cut.split("\n")
    assert head.startswith("title words here") and tail.endswith("final-error-line")
    assert len(head) <= QUERY_HEAD_CHARS and len(tail) <= QUERY_TAIL_CHARS
    assert set(cut.split()) <= set(text.split())


def test_one_giant_word_still_gives_a_text() -> None:
    assert query_text("x" * 5000)


def test_budgets_follow_the_encoders_token_limit() -> None:
    text = "title words here " + " ".join(f"w{i}" for i in range(5000)) + " final-error-line"
    head, tail = query_text(text, max_tokens=128).split("\n")
    assert head.startswith("title words here") and tail.endswith("final-error-line")
    assert len(head) <= QUERY_HEAD_CHARS // 2 and len(tail) <= QUERY_TAIL_CHARS // 2
    assert len(head) > QUERY_HEAD_CHARS // 2 - 10  # the budget is used, not just bounded
    medium = " ".join(f"w{i}" for i in range(150))  # 589 characters: whole at 256 tokens, cut at 128
    assert query_text(medium) == medium and query_text(medium, max_tokens=128) != medium
