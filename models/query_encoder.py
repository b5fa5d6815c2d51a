"""A static query encoder: the sentence encoder distilled into one vector per word.

A ridge regression from a text's bag of words (the lexical index's own analyzer, counts scaled to
sum to one) onto the sentence encoder's vector of that text, fit on the index's own contributions
at every build. Embedding a query is then a dictionary lookup and a sum, ~0.05 ms instead of
~5 ms for MiniLM on two AVX2 cores, for a small loss in ranking quality (README, "Query encoder").
The word table is kept and stored in float16 (half the bytes; summed in float32), see
docs/benchmarks.md "Incremental indexing and version size" for its MRR.
"""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.lexical import analyzer, term_counts

ALPHA = 0.01  # ridge penalty: chosen on dba (cosine to MiniLM 0.74 on held-out questions)
MAX_TEXTS = 50_000  # distinct texts fitted on; a sample above that
CG_ITERATIONS, CG_TOLERANCE = 30, 1e-2  # bound the solver: more changed nothing on dba (cosine 0.743)
MIN_KNOWN_SHARE = 0.5  # a query with fewer of its words in the vocabulary is left to the model
WEIGHTS_FILE = "query_encoder.npz"
VOCABULARY_FILE = "query_vocabulary.json"


class StaticQueryEncoder:
    """Word vectors and an intercept: a query's vector is their mean, normalized."""

    def __init__(self, vocabulary: dict[str, int], table: np.ndarray, intercept: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.table = np.ascontiguousarray(table, dtype=np.float16)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self._analyze = analyzer()

    @classmethod
    def fit(cls, texts: Sequence[str], vectors: np.ndarray, seed: int = 0) -> "StaticQueryEncoder":
        """Fit on distinct non-empty `texts` and their sentence vectors (a sample past MAX_TEXTS)."""
        from sklearn.linear_model import Ridge  # only a fit needs scikit-learn (1.5 s to import)
        from sklearn.preprocessing import normalize

        rows = list({text: row for row, text in enumerate(texts) if text.strip()}.values())
        if len(rows) > MAX_TEXTS:
            rows = sorted(np.random.default_rng(seed).choice(rows, MAX_TEXTS, replace=False))
        if not rows:
            raise ValueError("no text to fit the static query encoder on")
        counts, vocabulary = term_counts([texts[r] for r in rows])
        if not vocabulary:
            raise ValueError("no word to fit the static query encoder on")
        bags = normalize(counts, norm="l1")
        ridge = Ridge(alpha=ALPHA, solver="sparse_cg", max_iter=CG_ITERATIONS, tol=CG_TOLERANCE)
        ridge = ridge.fit(bags, vectors[rows])
        return cls(vocabulary, ridge.coef_.T, ridge.intercept_)

    def encode_query(self, text: str) -> np.ndarray | None:
        """A unit float32 vector of shape (dim,) in the sentence encoder's space; None when fewer
        than MIN_KNOWN_SHARE of the text's words were seen in the fit (only the model knows them)."""
        words = self._analyze(text)
        rows = [self.vocabulary[t] for t in words if t in self.vocabulary]
        if not rows or len(rows) < MIN_KNOWN_SHARE * len(words):
            return None
        vector = self.intercept + self.table[rows].sum(axis=0, dtype=np.float32) / len(rows)
        unit: np.ndarray = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return unit

    def save(self, directory: Path) -> None:
        """Write the weights and the vocabulary into `directory`."""
        np.savez(directory / WEIGHTS_FILE, table=self.table, intercept=self.intercept)
        (directory / VOCABULARY_FILE).write_text(json.dumps(self.vocabulary))

    @classmethod
    def load(cls, directory: Path) -> "StaticQueryEncoder":
        """Open an encoder written by `save`."""
        with np.load(directory / WEIGHTS_FILE) as saved:
            table, intercept = saved["table"], saved["intercept"]
        return cls(json.loads((directory / VOCABULARY_FILE).read_text()), table, intercept)
