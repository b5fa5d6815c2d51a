"""BM25 lexical retrieval over contribution texts, so rare terms (error codes, product names) count.

Postings are stored term by term, each term's sorted by its BM25 weight, best first ("impact
order"). A query reads at most POSTINGS_PER_TERM postings of a term and QUERY_POSTINGS in all,
rarest terms first: exact for every term rarer than that (error codes, product names), and for a
common term the documents where it weighs most (static index pruning), so a query's cost stays
bounded however large the organization grows.

Each posting also keeps its term count, and each document a digest of its text, so that the next
build tokenizes only the documents whose text is new (`LexicalIndex.build(texts, previous)`) and
recomputes the weights, which depend on every document's length, from the counts: the same index
as a build from scratch, at a fraction of its cost.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from models.mapped import load_mapped
from models.terms import Analyzer, bag_matrix, count_terms, word_analyzer

TOKEN_PATTERN = r"(?u)\b\w[\w.\-]*\w\b|\b\w\b"
QUERY_TERMS = 128  # distinct terms a query reads, rarest first (5% of dba and history tests have more)
POSTINGS_PER_TERM = 2000
QUERY_POSTINGS = 20_000
ARRAYS = ("indptr", "rows", "weights", "counts", "digests")  # saved as lexical_<name>.npy, memory-mapped
VOCABULARY_FILE = "lexical_vocabulary.json"
DIGEST_BYTES = 16


def analyzer() -> Analyzer:
    """One tokenizer for documents and queries: lowercase words, keeping `ORA-01555`-like codes."""
    return word_analyzer(TOKEN_PATTERN)


def term_counts(texts: Sequence[str]) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """Documents × terms float32 counts of `texts` by `analyzer`, and the vocabulary."""
    return count_terms(texts, analyzer(), np.float32)


def digests(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), DIGEST_BYTES) uint8: a digest of each text, to know it again in the next build."""
    joined = b"".join(hashlib.blake2b(t.encode(), digest_size=DIGEST_BYTES).digest() for t in texts)
    return np.frombuffer(joined, dtype=np.uint8).reshape(len(texts), DIGEST_BYTES)


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


def _keys(found: np.ndarray) -> list[bytes]:
    """Each row of a digest array as bytes, to look texts up by."""
    return [row.tobytes() for row in found]


class LexicalIndex:
    """BM25 (k1, b) postings per term in impact order: `indptr[t]:indptr[t + 1]` are term t's, with
    each posting's term count in `counts`; `digests` are the documents' (see `digests`)."""

    def __init__(
        self,
        documents: int,
        indptr: np.ndarray,
        rows: np.ndarray,
        weights: np.ndarray,
        counts: np.ndarray,
        digests: np.ndarray,
        vocabulary: dict[str, int],
    ) -> None:
        self.documents = documents
        self.indptr, self.rows, self.weights = indptr, rows, weights
        self.counts, self.digests = counts, digests
        self.vocabulary = vocabulary
        self._analyze = analyzer()

    @classmethod
    def build(
        cls, texts: Sequence[str], previous: "LexicalIndex | None" = None, k1: float = 1.2, b: float = 0.75
    ) -> "LexicalIndex":
        """Index `texts`; document i is text i.

        Args:
            texts: the documents, in index order.
            previous: an index whose documents' counts are reused for the same texts here (only the
                others are tokenized); the result is the same as without it.
            k1: term-frequency saturation.
            b: length normalization.
        Returns:
            The index.
        """
        found = digests(texts)
        counts, vocabulary = term_counts(texts) if previous is None else previous._recount(texts, found)
        return cls.from_counts(counts, vocabulary, found, k1, b)

    @classmethod
    def from_counts(
        cls, counts: sparse.csr_matrix, vocabulary: dict[str, int], found: np.ndarray, k1: float, b: float
    ) -> "LexicalIndex":
        """The index of documents × terms float32 `counts` over `vocabulary`, documents' digests `found`."""
        if not vocabulary:  # no document has an indexable word
            empty = np.zeros(0, np.int32)
            return cls(
                counts.shape[0], np.zeros(1, np.int64), empty, empty.astype(np.float32), empty, found, {}
            )
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log1p((counts.shape[0] - df + 0.5) / (df + 0.5)).astype(np.float32)
        by_term = counts.tocsc()
        indptr, rows, tf = by_term.indptr.astype(np.int64), by_term.indices.astype(np.int32), by_term.data
        term = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
        weights = (tf * (k1 + 1) / (tf + norm[rows]) * idf[term]).astype(np.float32)
        order = _impact_order(indptr, rows, weights)
        postings = rows[order], weights[order], tf[order].astype(np.int32)
        return cls(counts.shape[0], indptr, *postings, found, vocabulary)

    def words(self) -> list[str]:
        """The vocabulary by term number."""
        words = [""] * len(self.vocabulary)
        for word, term in self.vocabulary.items():
            words[term] = word
        return words

    def document_counts(self) -> sparse.csr_matrix:
        """Documents × terms: each document's term counts, as the postings hold them."""
        shape = (self.documents, len(self.vocabulary))
        return sparse.csc_matrix((self.counts, self.rows, self.indptr), shape=shape).tocsr()

    def _recount(self, texts: Sequence[str], found: np.ndarray) -> tuple[sparse.csr_matrix, dict[str, int]]:
        """What `term_counts(texts)` gives, tokenizing only the texts (digests `found`) not indexed here."""
        row_of = {key: row for row, key in enumerate(_keys(self.digests))}
        source = np.array([row_of.get(key, -1) for key in _keys(found)], dtype=np.int64)
        fresh = np.flatnonzero(source < 0)
        analyze = analyzer()
        bags = [Counter(analyze(texts[int(i)])) for i in fresh]
        old = self.document_counts()[source[source >= 0]]
        kept_terms = np.unique(old.indices)
        kept_words = np.array(self.words(), dtype=object)[kept_terms].tolist()
        vocabulary = {word: i for i, word in enumerate(sorted(set(kept_words).union(*bags)))}
        remap = np.zeros(len(self.vocabulary), np.int32)
        remap[kept_terms] = [vocabulary[word] for word in kept_words]
        kept = sparse.csr_matrix(
            (old.data.astype(np.float32), remap[old.indices], old.indptr),
            shape=(old.shape[0], len(vocabulary)),
        )
        stacked = sparse.vstack([kept, bag_matrix(bags, vocabulary, np.float32)], format="csr")
        position = np.empty(len(texts), np.int64)
        position[source >= 0] = np.arange(kept.shape[0])
        position[fresh] = kept.shape[0] + np.arange(len(fresh))
        counts = stacked[position]
        counts.sort_indices()
        return counts, vocabulary

    def _postings(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What a query reads: its QUERY_TERMS rarest terms (lower term on ties; a pasted log or a
        30,000-character question costs no more than that), up to POSTINGS_PER_TERM postings each
        and QUERY_POSTINGS in all."""
        starts, lengths = self.indptr[terms], self.indptr[terms + 1] - self.indptr[terms]
        order = np.argsort(lengths, kind="stable")[:QUERY_TERMS]
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
        words = self.words()
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
        indptr, rows, weights, counts, found = (
            load_mapped(directory / f"lexical_{name}.npy") for name in ARRAYS
        )
        meta = json.loads((directory / VOCABULARY_FILE).read_text())
        return cls(meta["documents"], indptr, rows, weights, counts, found, meta["vocabulary"])
