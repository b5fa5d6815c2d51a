"""Bag-of-words counting as scikit-learn's CountVectorizer does it, without importing scikit-learn.

Lowercase, find the tokens by a regular expression, drop English stop words, add the word n-grams
of the tokens left; the vocabulary is alphabetical. The same counts as `CountVectorizer(
token_pattern=pattern, stop_words="english", ngram_range=(1, ngrams))` (tests/models/test_terms.py),
without the 1.5 s that importing scikit-learn adds to an index run that fits nothing.
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from models.stop_words import ENGLISH_STOP_WORDS

Analyzer = Callable[[str], list[str]]


def word_analyzer(pattern: str, ngrams: int = 1) -> Analyzer:
    """A function from a text to its terms: lowercase tokens matching `pattern` that are not stop
    words, then their word n-grams up to `ngrams` words."""
    find = re.compile(pattern).findall

    def analyze(text: str) -> list[str]:
        tokens = [token for token in find(text.lower()) if token not in ENGLISH_STOP_WORDS]
        terms = list(tokens)
        for n in range(2, ngrams + 1):
            terms += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return terms

    return analyze


def bag_matrix(
    bags: Sequence[Counter[str]], vocabulary: dict[str, int], dtype: type = np.int64
) -> sparse.csr_matrix:
    """Documents × terms: row i counts the terms of bag i (every term must be in `vocabulary`)."""
    indptr = np.cumsum([0, *map(len, bags)], dtype=np.int64)
    total = int(indptr[-1])
    columns = np.fromiter((vocabulary[term] for bag in bags for term in bag), np.int32, count=total)
    counts: np.ndarray = np.fromiter((count for bag in bags for count in bag.values()), dtype, count=total)
    matrix = sparse.csr_matrix((counts, columns, indptr), shape=(len(bags), len(vocabulary)))
    matrix.sort_indices()
    return matrix


def count_terms(
    texts: Sequence[str], analyze: Analyzer, dtype: type = np.int64
) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """The documents × terms counts of `texts` and their vocabulary (term -> column, alphabetical;
    empty when no text has a term)."""
    return count_bags([Counter(analyze(text)) for text in texts], dtype)


def count_bags(
    bags: Sequence[Counter[str]], dtype: type = np.int64
) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """`count_terms` of texts already analyzed into `bags`."""
    vocabulary = {term: column for column, term in enumerate(sorted(set().union(*bags)))}
    return bag_matrix(bags, vocabulary, dtype), vocabulary
