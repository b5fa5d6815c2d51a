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
