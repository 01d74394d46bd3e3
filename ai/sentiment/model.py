"""The default sentiment classifier: multilingual sentence-encoder features (Universal Sentence
Encoder multilingual, ai.embeddings) plus character n-gram TF-IDF features, and a multinomial
logistic regression over three classes (negative, neutral, positive).

Character n-grams need no tokenizer, so they work the same for German compounds, Chinese and
Japanese; the encoder carries meaning across languages (a model fitted on English reviews
already scores French ones sensibly). A model with `char_ngrams=False` uses the encoder alone:
that is the built-in model fitted on the seed sentences shipped in seed.py.

Scores: P(positive) - P(negative), in [-1, 1]; the label is the most probable class.

A review's encoder vector is the mean of its sentences' vectors (`pooling="sentences"`): each
sentence is encoded once, and the same sentence vectors then score the review's aspects
(aspects.py works sentence by sentence), so scoring a review with its aspects costs one pass of
the encoder instead of two. Measured on reviews-multilingual-dev, this pooling is as accurate as
encoding the whole text (docs/benchmarks.md, "Sentiment").
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

LABELS = ("negative", "neutral", "positive")
FORMAT_VERSION = 1


def label_for_stars(stars: int) -> str:
    """Star ratings are free labels: 1-2 negative, 3 neutral, 4-5 positive."""
    stars = int(stars)
    if stars <= 2:
        return "negative"
    if stars == 3:
        return "neutral"
    return "positive"


@dataclass
class ReviewEncoding:
    """Encoder vectors of reviews and of their sentences (one encoder pass for both)."""

    review_vectors: np.ndarray  # (reviews, dimension), L2-normalised
    sentences: list[str]  # every review's sentences, in order
    sentence_vectors: np.ndarray  # (sentences, dimension)

    def vectors_for(self, sentences: list[str]) -> np.ndarray | None:
        """The vectors of these sentences if all were encoded here, else None."""
        index = {sentence: row for row, sentence in enumerate(self.sentences)}
        try:
            rows = [index[sentence] for sentence in sentences]
        except KeyError:
            return None
        return self.sentence_vectors[rows]


def encode_reviews(texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> ReviewEncoding:
    """Encodes every sentence of every text once; a text's vector is its sentences' mean."""
    from .aspects import split_sentences

    sentences: list[str] = []
    owners: list[int] = []
    for index, text in enumerate(texts):
        parts = split_sentences(text) or [text]
        sentences.extend(parts)
        owners.extend([index] * len(parts))
    sentence_vectors = np.asarray(embed(sentences), dtype=np.float32)
    review_vectors = np.zeros((len(texts), sentence_vectors.shape[1]), dtype=np.float32)
    np.add.at(review_vectors, np.asarray(owners, dtype=np.int64), sentence_vectors)
    norms = np.linalg.norm(review_vectors, axis=1, keepdims=True)
    review_vectors /= np.where(norms > 0, norms, 1.0)
    return ReviewEncoding(review_vectors, sentences, sentence_vectors)


@dataclass
class Prediction:
    label: str
    score: float
    probabilities: dict[str, float]


class SentimentModel:
    """Encoder (+ char n-gram) features and a logistic regression; fit, predict, save, load."""

    def __init__(
        self,
        *,
        char_ngrams: bool = True,
        ngram_range: tuple[int, int] = (1, 4),
        max_features: int = 200_000,
        c: float = 1.0,
        encoder_weight: float = 1.0,
        embedding_backend: str = "use-multilingual",
        pooling: str = "sentences",
    ):
        if pooling not in ("sentences", "text"):
            raise ValueError("pooling is 'sentences' or 'text'")
        self.char_ngrams = char_ngrams
        self.ngram_range = tuple(ngram_range)
        self.max_features = max_features
        self.c = c
        self.encoder_weight = encoder_weight
        self.embedding_backend = embedding_backend
        self.pooling = pooling
        self.vectorizer = None
        self.classifier = None
        self.classes_: list[str] = list(LABELS)

    # --- features ------------------------------------------------------------------------------
    @property
    def vector_kind(self) -> tuple[str, str]:
        """Two models take the same precomputed vectors when this is equal."""
        # Models saved before pooling existed encoded the whole text.
        return (self.embedding_backend, getattr(self, "pooling", "text"))

    def _embedder(self) -> Callable[[list[str]], np.ndarray]:
        from ai.embeddings import get_embedder

        embedder = get_embedder(self.embedding_backend)
        return lambda texts: embedder.embed(texts, batch_size=128)

    def encode(self, texts: list[str], *, embed=None) -> ReviewEncoding:
        """The encoder vectors this model reads for `texts`, with their sentences' vectors."""
        embed = embed or self._embedder()
        texts = [str(text) for text in texts]
        if self.vector_kind[1] == "text":
            vectors = np.asarray(embed(texts), dtype=np.float32)
            return ReviewEncoding(vectors, list(texts), vectors)
        return encode_reviews(texts, embed)

    def _embed(self, texts: list[str], embed: Callable | None) -> np.ndarray:
        return self.encode(texts, embed=embed).review_vectors

    def _features(self, texts: list[str], *, embed=None, vectors=None, fit: bool = False):
        from scipy import sparse

        if self.encoder_weight:
            dense = vectors if vectors is not None else self._embed(texts, embed)
            dense = sparse.csr_matrix(np.asarray(dense, dtype=np.float64) * self.encoder_weight)
        else:
            dense = None  # character n-grams alone: no encoder (fast, less accurate)
        if not self.char_ngrams:
            return dense
        if fit:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self.vectorizer = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=self.ngram_range,
                lowercase=True,
                sublinear_tf=True,
                min_df=2,
                max_features=self.max_features,
                dtype=np.float32,
            )
            chars = self.vectorizer.fit_transform(texts)
        else:
            chars = self.vectorizer.transform(texts)
        return chars.tocsr() if dense is None else sparse.hstack([dense, chars], format="csr")

    # --- fit / predict ---------------------------------------------------------------------------
    def fit(self, texts: list[str], labels: list[str], *, embed=None, vectors=None):
        from sklearn.linear_model import LogisticRegression

        texts = [str(text) for text in texts]
        labels = [str(label) for label in labels]
        if len(set(labels)) < 2:
            raise ValueError("Training needs reviews of at least two sentiment classes.")
        features = self._features(texts, embed=embed, vectors=vectors, fit=True)
        self.classifier = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        self.classifier.fit(features, labels)
        self.classes_ = [str(label) for label in self.classifier.classes_]
        return self

    def predict_proba(self, texts: list[str], *, embed=None, vectors=None) -> np.ndarray:
        """(n, 3) probabilities in LABELS order (a class unseen in training gets 0)."""
        if self.classifier is None:
            raise RuntimeError("The sentiment model is not fitted.")
        texts = [str(text) for text in texts]
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float64)
        if not texts:
            return out
        probabilities = self.classifier.predict_proba(
            self._features(texts, embed=embed, vectors=vectors)
        )
        for column, label in enumerate(self.classes_):
            out[:, LABELS.index(label)] = probabilities[:, column]
        return out

    def predict(self, texts: list[str], *, embed=None, vectors=None) -> list[Prediction]:
        return [
            prediction_from_probabilities(row)
            for row in self.predict_proba(texts, embed=embed, vectors=vectors)
        ]

    def describe(self) -> dict:
        return {
            "kind": (
                "char-tfidf+logreg"
                if not self.encoder_weight
                else "encoder+char-tfidf+logreg"
                if self.char_ngrams
                else "encoder+logreg"
            ),
            "embedding_backend": self.embedding_backend,
            "char_ngrams": self.char_ngrams,
            "ngram_range": list(self.ngram_range),
            "c": self.c,
            "pooling": self.vector_kind[1],
        }

    # --- persistence ---------------------------------------------------------------------------
    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump({"format": FORMAT_VERSION, "model": self}, buffer, protocol=4)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> SentimentModel:
        # Artifacts are written by this app's training job under the server's own folder.
        payload = pickle.loads(data)  # noqa: S301
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ValueError("Not a sentiment model artifact of this version.")
        model = payload["model"]
        if not isinstance(model, cls):
            raise ValueError("Not a sentiment model artifact.")
        return model


def prediction_from_probabilities(row) -> Prediction:
    probabilities = {label: float(row[index]) for index, label in enumerate(LABELS)}
    label = max(probabilities, key=probabilities.get)
    score = probabilities["positive"] - probabilities["negative"]
    return Prediction(label=label, score=round(float(score), 4), probabilities=probabilities)


def macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(sum(scores) / len(scores)) if scores else 0.0


def binary_accuracy(truth: list[str], probabilities: np.ndarray) -> float | None:
    """Accuracy on the negative and positive reviews, predicting the likelier of the two."""
    pairs = [
        (t, "positive" if row[2] >= row[0] else "negative")
        for t, row in zip(truth, probabilities, strict=True)
        if t != "neutral"
    ]
    if not pairs:
        return None
    return float(sum(1 for t, p in pairs if t == p) / len(pairs))


def evaluate(truth: list[str], probabilities: np.ndarray) -> dict:
    predicted = [prediction_from_probabilities(row).label for row in probabilities]
    accuracy = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p) / max(1, len(truth))
    return {
        "macro_f1": round(macro_f1(truth, predicted), 4),
        "binary_accuracy": (
            None if (value := binary_accuracy(truth, probabilities)) is None else round(value, 4)
        ),
        "accuracy": round(float(accuracy), 4),
        "examples": len(truth),
    }
