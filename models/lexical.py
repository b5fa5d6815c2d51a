"""BM25 lexical retrieval over contribution texts, so rare terms (error codes, product names) count."""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

TOKEN_PATTERN = r"(?u)\b\w[\w.\-]*\w\b|\b\w\b"


def _analyzer(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
    """One tokenizer for documents and queries: lowercase words, keeping `ORA-01555`-like codes."""
    return CountVectorizer(
        token_pattern=TOKEN_PATTERN, stop_words="english", vocabulary=vocabulary, dtype=np.float32
    )


def _best(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k largest values, largest first, equal values in position order.

    The same as a stable sort cut at k, but only the values at or above the k-th are sorted.
    """
    if not 0 < k < len(values):
        return np.argsort(-values, kind="stable")[:k]
    kth = np.partition(values, len(values) - k)[len(values) - k]
    candidates = np.flatnonzero(values >= kth)
    return candidates[np.argsort(-values[candidates], kind="stable")[:k]]


class LexicalIndex:
    """BM25 (k1, b) document-term weights in a term-major (CSC) matrix for fast per-term lookups."""

    def __init__(self, weights: sparse.csc_matrix, vocabulary: dict[str, int]) -> None:
        self.weights = weights
        self.vocabulary = vocabulary
        self._vectorizer = _analyzer(vocabulary)

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        """Index `texts`; row i of the matrix is text i.

        Args:
            texts: the documents, in index order.
            k1: term-frequency saturation.
            b: length normalization.
        Returns:
            The index.
        """
        vectorizer = _analyzer()
        try:
            counts = vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # empty vocabulary: no document has an indexable word
            return cls(sparse.csc_matrix((len(texts), 0), dtype=np.float32), {})
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((counts.shape[0] - df + 0.5) / (df + 0.5)).astype(np.float32)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        tf = counts.data
        counts.data = (tf * (k1 + 1) / (tf + norm[rows]) * idf[counts.indices]).astype(np.float32)
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        return cls(counts.tocsc(), vocabulary)

    def search(
        self, text: str, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents for `text` by BM25: (scores, rows), best first; empty if no term matches.

        Sums only the query terms' postings; equal scores keep the lower row first. `allowed`
        (bool per row) keeps only those rows.
        """
        if not self.vocabulary:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        terms = np.unique(self._vectorizer.transform([text]).indices)
        if terms.size == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores = self.weights[:, terms] @ np.ones(terms.size, dtype=np.float32)
        found = scores != 0  # a bool mask: far faster to scan than floats
        hits = np.flatnonzero(found if allowed is None else found & allowed)
        top = hits[_best(scores[hits], k)]
        return scores[top], top

    def save(self, directory: Path) -> None:
        """Write the matrix and vocabulary into `directory`."""
        sparse.save_npz(directory / "lexical.npz", self.weights, compressed=False)
        (directory / "lexical_vocabulary.json").write_text(json.dumps(self.vocabulary))

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        """Read an index written by `save`."""
        weights = sparse.load_npz(directory / "lexical.npz").tocsc()
        vocabulary = json.loads((directory / "lexical_vocabulary.json").read_text())
        return cls(weights, vocabulary)
