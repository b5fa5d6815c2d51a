"""BM25 lexical retrieval over contribution texts, so rare terms (error codes, product names) count.

Postings are stored term by term, each term's sorted by its BM25 weight, best first ("impact
order"). A query reads at most POSTINGS_PER_TERM postings of a term and QUERY_POSTINGS in all,
rarest terms first: exact for every term rarer than that (error codes, product names), and for a
common term the documents where it weighs most (static index pruning), so a query's cost stays
bounded however large the organization grows.
"""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from models.mapped import load_mapped

TOKEN_PATTERN = r"(?u)\b\w[\w.\-]*\w\b|\b\w\b"
POSTINGS_PER_TERM = 2000
QUERY_POSTINGS = 20_000
ARRAYS = ("indptr", "rows", "weights")  # saved as lexical_<name>.npy, memory-mapped on load
VOCABULARY_FILE = "lexical_vocabulary.json"


def analyzer(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
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


def _impact_order(indptr: np.ndarray, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A permutation that sorts each term's postings by weight, best first (lower row on ties)."""
    term = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    return np.lexsort((rows, -weights, term))


class LexicalIndex:
    """BM25 (k1, b) postings per term in impact order: `indptr[t]:indptr[t + 1]` are term t's."""

    def __init__(
        self,
        documents: int,
        indptr: np.ndarray,
        rows: np.ndarray,
        weights: np.ndarray,
        vocabulary: dict[str, int],
    ) -> None:
        self.documents = documents
        self.indptr, self.rows, self.weights = indptr, rows, weights
        self.vocabulary = vocabulary
        self._analyze = analyzer(vocabulary).build_analyzer()

    @classmethod
    def build(cls, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        """Index `texts`; document i is text i.

        Args:
            texts: the documents, in index order.
            k1: term-frequency saturation.
            b: length normalization.
        Returns:
            The index.
        """
        vectorizer = analyzer()
        try:
            counts = vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # empty vocabulary: no document has an indexable word
            empty = np.zeros(0, np.int32)
            return cls(len(texts), np.zeros(1, np.int64), empty, empty.astype(np.float32), {})
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((counts.shape[0] - df + 0.5) / (df + 0.5)).astype(np.float32)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        tf = counts.data
        counts.data = (tf * (k1 + 1) / (tf + norm[rows]) * idf[counts.indices]).astype(np.float32)
        by_term = counts.tocsc()
        indptr, rows = by_term.indptr.astype(np.int64), by_term.indices.astype(np.int32)
        order = _impact_order(indptr, rows, by_term.data)
        vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        weights = by_term.data[order].astype(np.float32)
        return cls(len(texts), indptr, rows[order], weights, vocabulary)

    def _postings(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What a query reads: rarest terms first, up to POSTINGS_PER_TERM each, QUERY_POSTINGS in all."""
        starts, lengths = self.indptr[terms], self.indptr[terms + 1] - self.indptr[terms]
        order = np.argsort(lengths, kind="stable")
        taken = np.minimum(lengths[order], POSTINGS_PER_TERM)
        keep = np.cumsum(taken) - taken < QUERY_POSTINGS  # a term starts within the budget
        spans = [slice(s, s + n) for s, n in zip(starts[order][keep], taken[keep], strict=True)]
        return np.concatenate([self.rows[s] for s in spans]), np.concatenate([self.weights[s] for s in spans])

    def search(self, text: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents for `text` by BM25: (scores, rows), best first; empty if no term matches.

        Equal scores keep the lower row first. `allowed` (bool per document) keeps only those.
        """
        if not self.vocabulary:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        known = {self.vocabulary[word] for word in self._analyze(text) if word in self.vocabulary}
        terms = np.array(sorted(known), dtype=np.int64)
        if terms.size == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        rows, weights = self._postings(terms)
        if allowed is not None:
            keep = allowed[rows]
            rows, weights = rows[keep], weights[keep]
        found, where = np.unique(rows, return_inverse=True)
        scores = np.bincount(where, weights=weights, minlength=len(found)).astype(np.float32)
        top = _best(scores, k)
        return scores[top], found[top].astype(np.int64)

    def document_texts(self, documents: Sequence[int]) -> list[str]:
        """Each document's indexed terms as one text: searching it finds what searching the document's
        own text finds (a query reads its terms as a set), where that text is not kept (training)."""
        wanted = np.asarray(documents, dtype=np.int64)
        positions = np.flatnonzero(np.isin(self.rows, wanted))
        terms = np.searchsorted(self.indptr, positions, side="right") - 1
        owners = np.asarray(self.rows[positions], dtype=np.int64)
        words = [""] * len(self.vocabulary)
        for word, term in self.vocabulary.items():
            words[term] = word
        order = np.lexsort((terms, owners))
        owners, terms = owners[order], terms[order]
        starts = np.searchsorted(owners, wanted, side="left")
        ends = np.searchsorted(owners, wanted, side="right")
        return [" ".join(words[t] for t in terms[a:b]) for a, b in zip(starts, ends, strict=True)]

    def save(self, directory: Path) -> None:
        """Write the postings and vocabulary into `directory`."""
        for name in ARRAYS:
            np.save(directory / f"lexical_{name}.npy", getattr(self, name))
        meta = {"documents": self.documents, "vocabulary": self.vocabulary}
        (directory / VOCABULARY_FILE).write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        """Open an index written by `save` (postings memory-mapped: processes share the page cache)."""
        indptr, rows, weights = (load_mapped(directory / f"lexical_{name}.npy") for name in ARRAYS)
        meta = json.loads((directory / VOCABULARY_FILE).read_text())
        return cls(meta["documents"], indptr, rows, weights, meta["vocabulary"])
