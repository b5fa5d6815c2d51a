"""BM25 over contribution texts: rare terms, order, and searching among allowed rows."""

import numpy as np

from models import lexical
from models.lexical import LexicalIndex

TEXTS = [
    "ORA-01555 snapshot too old during export",
    "undo retention and ORA-01555",
    "printer toner is empty",
    "export to parquet",
]


def test_rare_code_ranks_the_documents_that_contain_it() -> None:
    scores, rows = LexicalIndex.build(TEXTS).search("ORA-01555 snapshot", 4)
    assert rows.tolist() == [0, 1]  # both terms, then the code alone
    assert scores[0] > scores[1] > 0


def test_allowed_rows_only() -> None:
    allowed = np.array([False, True, True, True])
    _, rows = LexicalIndex.build(TEXTS).search("ORA-01555 snapshot", 4, allowed=allowed)
    assert rows.tolist() == [1]


def test_no_indexable_word_finds_nothing() -> None:
    index = LexicalIndex.build(TEXTS)
    assert index.search("the of and", 5)[1].size == 0
    assert LexicalIndex.build(["the", "a"]).search("anything", 5)[1].size == 0


def test_a_common_term_reads_only_its_weightiest_postings(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = ["common " + "filler " * n for n in range(40)] + ["rare common"]
    index = LexicalIndex.build(texts)
    _, exact = index.search("common", 5)
    assert exact.tolist() == [0, 1, 40, 2, 3]  # the shortest documents weigh most
    monkeypatch.setattr(lexical, "POSTINGS_PER_TERM", 5)
    _, pruned = index.search("common", 50)
    assert pruned.tolist() == exact.tolist()  # only 5 read, and they are the best 5
    _, both = index.search("rare common", 3)
    assert both[0] == 40  # the rare term's postings are always read in full


def test_a_long_query_reads_only_its_rarest_terms_whatever_their_order(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    words = [f"term{k}" for k in range(20)]  # term k is in documents 0..k: the lower, the rarer
    index = LexicalIndex.build([" ".join(words[j:]) for j in range(20)])
    monkeypatch.setattr(lexical, "QUERY_TERMS", 5)
    long = " ".join(words)
    scores, rows = index.search(long, 20)
    rarest_scores, rarest_rows = index.search(" ".join(words[:5]), 20)
    assert rows.tolist() == rarest_rows.tolist() == [0, 1, 2, 3, 4]  # only those holding the 5 rarest terms
    assert np.array_equal(scores, rarest_scores)
    shuffled = " ".join(np.random.default_rng(0).permutation(words * 3).tolist())
    assert [a.tolist() for a in index.search(shuffled, 20)] == [scores.tolist(), rows.tolist()]
    monkeypatch.setattr(lexical, "QUERY_TERMS", 20)
    assert index.search(long, 20)[1].size == 20  # every term read: every document found


def test_save_and_load_give_the_same_results(tmp_path) -> None:  # type: ignore[no-untyped-def]
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.documents == len(TEXTS)
    for query in ("ORA-01555 snapshot", "export", "toner"):
        assert [a.tolist() for a in loaded.search(query, 3)] == [a.tolist() for a in index.search(query, 3)]


def test_a_documents_terms_search_as_its_own_text_does() -> None:
    texts = [*TEXTS, "Deadlock in SQL Server 2019, error 1205 on the orders table", ""]
    index = LexicalIndex.build(texts)
    terms = index.document_texts([len(TEXTS), 0, len(TEXTS) + 1])
    assert terms[0].split() == sorted(
        {"1205", "2019", "deadlock", "error", "orders", "server", "sql", "table"}
    )
    assert terms[2] == ""  # nothing indexable
    for row, text in zip([len(TEXTS), 0], terms, strict=False):
        found, expected = index.search(text, 5), index.search(texts[row], 5)
        assert found[1].tolist() == expected[1].tolist() and np.allclose(found[0], expected[0])


def _same(built: LexicalIndex, expected: LexicalIndex) -> None:
    assert built.documents == expected.documents and built.vocabulary == expected.vocabulary
    for name in lexical.ARRAYS:
        ours, theirs = getattr(built, name), getattr(expected, name)
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), name


def test_a_build_from_the_previous_index_equals_one_from_scratch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = [*TEXTS, "zanzibar replication lag", "the printer", "export again"]
    LexicalIndex.build(before).save(tmp_path)
    previous = LexicalIndex.load(tmp_path)  # memory-mapped, as a build finds it
    after = [
        "export again",  # moved
        TEXTS[0],
        "undo retention and ORA-01555, edited with quokka",  # edited: a new word
        "printer toner is empty",
        "brand new text about kafka",  # added
        TEXTS[0],  # a duplicate
    ]  # removed: "zanzibar replication lag" (its words leave the vocabulary), "the printer", TEXTS[3]
    built = LexicalIndex.build(after, previous)
    _same(built, LexicalIndex.build(after))
    assert "zanzibar" not in built.vocabulary and "quokka" in built.vocabulary
    assert built.search("quokka", 3)[1].tolist() == [2]


def test_a_build_from_an_index_without_words_equals_one_from_scratch() -> None:
    previous = LexicalIndex.build(["the", "a"])
    _same(LexicalIndex.build(["the", "kafka lag"], previous), LexicalIndex.build(["the", "kafka lag"]))
    _same(LexicalIndex.build(["of"], LexicalIndex.build(TEXTS)), LexicalIndex.build(["of"]))
