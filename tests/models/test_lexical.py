"""BM25 over contribution texts: rare terms, order, and searching among allowed rows."""

import numpy as np

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
