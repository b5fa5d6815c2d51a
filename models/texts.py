"""The text the encoder sees for a contribution or a member profile, cut to fit the model.

MiniLM reads about 256 word pieces, roughly 200 words of ordinary prose; anything beyond is
silently dropped by the tokenizer, so the cut is made here, by words, keeping what matters most.
"""

from collections.abc import Sequence

WORD_BUDGET = 200  # words per text: ≈ 256 word pieces
THREAD_BODY_SHARE = 60  # words of the question body an answer keeps when its own body is long
TITLE_MAX_WORDS = 40  # a runaway title cannot take the whole budget
LEXICAL_WORD_BUDGET = 5000  # words per keyword-indexed text: whole questions (30,000 characters) and answers
QUERY_TOKENS = 256  # the encoder's token limit the two character budgets below are set for
QUERY_HEAD_CHARS = 600  # of a long question, what the encoder reads from its start (title, what was tried)
QUERY_TAIL_CHARS = 250  # ... and from its end (where the error line usually is)
THREADED_KINDS = frozenset({"answer", "comment"})
STANDALONE_KINDS = frozenset({"question", "post", "solution", "document"})


def _words(text: str) -> list[str]:
    """Whitespace-separated words (collapses newlines, tabs and repeated spaces)."""
    return text.split()


def _join(*parts: list[str]) -> str:
    """Non-empty parts as one text, one part per line."""
    return "\n".join(" ".join(part) for part in parts if part)


def contribution_text(kind: str, title: str, body: str, thread_title: str = "", thread_body: str = "") -> str:
    """The text embedded for a contribution: an answer or comment inside its thread's question.

    An answer's own words get the larger share (up to all but ~60 words of the question body);
    whatever one side leaves unused goes to the other, so the total stays near 200 words.
    """
    if kind in STANDALONE_KINDS:
        head = _words(title)[:TITLE_MAX_WORDS]
        return _join(head, _words(body)[: WORD_BUDGET - len(head)])
    if kind not in THREADED_KINDS:
        raise ValueError(
            f"unknown contribution kind {kind!r}; expected one of {sorted(STANDALONE_KINDS | THREADED_KINDS)}"
        )
    head = _words(thread_title)[:TITLE_MAX_WORDS]
    question, own = _words(thread_body), _words(title) + _words(body)
    left = WORD_BUDGET - len(head)
    own = own[: left - min(len(question), THREAD_BODY_SHARE)]
    return _join(head, question[: left - len(own)], own)


def lexical_text(kind: str, title: str, body: str, thread_title: str = "", thread_body: str = "") -> str:
    """The text keyword-indexed for a contribution: uncut (up to LEXICAL_WORD_BUDGET words), so code,
    error strings and the end of a long question are found; an answer or comment after its thread's.

    BM25 has no window to fit, so the contribution's own words come first and keep their place.
    """
    own = _words(title) + _words(body)
    context = _words(thread_title) + _words(thread_body) if kind in THREADED_KINDS else []
    own = own[:LEXICAL_WORD_BUDGET]
    return _join(context[: LEXICAL_WORD_BUDGET - len(own)], own)


def profile_text(title: str, profile: str, skills: Sequence[str]) -> str:
    """The text embedded for a member: job title, declared skills, then the free-text profile."""
    head = _words(title)[:TITLE_MAX_WORDS]
    skill_words = _words(", ".join(s.strip() for s in skills if s.strip()))
    skill_words = skill_words[: WORD_BUDGET - len(head)]
    left = WORD_BUDGET - len(head) - len(skill_words)
    return _join(head, skill_words, _words(profile)[:left])


def query_text(text: str, max_tokens: int = QUERY_TOKENS) -> str:
    """What the encoder reads of a question: all of it if short, else its head and its tail.

    Cut by characters at word boundaries: about 850 characters stay within the model's 256 word
    pieces even for dense text (stack traces, logs) that tokenizes into many pieces, so the tail is
    read rather than dropped by the tokenizer; both budgets scale with `max_tokens`, the encoder's
    token limit. The keyword search reads the whole question.
    """
    head_chars = QUERY_HEAD_CHARS * max_tokens // QUERY_TOKENS
    tail_chars = QUERY_TAIL_CHARS * max_tokens // QUERY_TOKENS
    words = _words(text)
    if sum(len(word) + 1 for word in words) <= head_chars + tail_chars:
        return text
    head, tail, used = [], [], 0
    for word in words:
        used += len(word) + 1
        if used > head_chars:
            break
        head.append(word)
    used = 0
    for word in reversed(words[len(head) :]):
        used += len(word) + 1
        if used > tail_chars:
            break
        tail.append(word)
    return _join(head or words[:1], tail[::-1])
