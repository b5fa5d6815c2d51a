"""Bag-of-words counts without scikit-learn: the same as its CountVectorizer, stop words included."""

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from models.lexical import TOKEN_PATTERN, term_counts
from models.stop_words import ENGLISH_STOP_WORDS as OUR_STOP_WORDS
from models.terms import count_terms, word_analyzer
from models.topics import NAME_PATTERN

TEXTS = [
    "ORA-01555 snapshot too old during export; ORA-01555 again",
    "The Kafka consumer lags behind: rebalance, rebalance and rebalance!",
    "",
    "a the of and",  # stop words only
    "Ünïcode café naïve résumé 3.14 v2.0 x",
    "deadlock in SQL Server 2019, error 1205 on the orders table",
]


def test_the_stop_words_are_scikit_learns() -> None:
    assert OUR_STOP_WORDS == ENGLISH_STOP_WORDS


def test_lexical_counts_equal_count_vectorizers() -> None:
    reference = CountVectorizer(token_pattern=TOKEN_PATTERN, stop_words="english", dtype=np.float32)
    expected = reference.fit_transform(TEXTS)
    counts, vocabulary = term_counts(TEXTS)
    assert vocabulary == reference.vocabulary_
    assert counts.dtype == np.float32 and (counts != expected).nnz == 0


def test_word_pairs_equal_count_vectorizers() -> None:
    reference = CountVectorizer(stop_words="english", ngram_range=(1, 2), token_pattern=NAME_PATTERN)
    expected = reference.fit_transform(TEXTS)
    counts, vocabulary = count_terms(TEXTS, word_analyzer(NAME_PATTERN, ngrams=2))
    assert vocabulary == reference.vocabulary_ and "kafka consumer" in vocabulary
    assert (counts != expected).nnz == 0


def test_no_term_at_all_is_an_empty_vocabulary() -> None:
    counts, vocabulary = term_counts(["the", ""])
    assert vocabulary == {} and counts.shape == (2, 0)
