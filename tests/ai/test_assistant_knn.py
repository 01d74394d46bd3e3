"""The intent model's recipe 3 (nlu-model): Arabic spelling variants folded in the n-grams, and
the nearest-neighbour vote averaged with the logistic regression; old artifacts without them
still answer, and the built-in cache key follows the recipe."""

from __future__ import annotations

import numpy as np
import pytest

from ai.assistant import backends, training
from ai.assistant.model import IntentModel, fold_arabic, softmax

from .assistant_helpers import subset

pytestmark = pytest.mark.usefixtures("isolated_assistant_models")


@pytest.fixture(scope="module")
def tiny():
    """Two examples per intent in English and Arabic (seconds to fit)."""
    return subset("train", per_intent=2, languages=("en", "ar"))


def test_arabic_spelling_variants_fold_to_one_form_and_other_scripts_are_only_lowercased():
    # Hamza on alef, ta marbuta, alef maqsura, a diacritic and a tatweel.
    assert fold_arabic("إلغاء الطلبيـة") == fold_arabic("الغاء الطلبيه")
    assert fold_arabic("مَتى") == fold_arabic("متي")
    assert fold_arabic("أين طلبي؟") == "اين طلبي؟"
    assert fold_arabic("Où est ma COMMANDE") == "où est ma commande"  # accents kept


def test_the_ngrams_see_the_folded_text(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    vectors = IntentModel().embed(texts)
    model = IntentModel().fit(texts, labels, vectors=vectors)
    plain = IntentModel(preprocessor=None).fit(texts, labels, vectors=vectors)

    def ngrams(fitted: IntentModel, text: str) -> np.ndarray:
        # The n-gram blocks only: the encoders' vectors are not folded.
        return np.hstack([v.transform([text]).toarray() for v in fitted.vectorizers])

    variant, folded = "إلغاء الطلبيـة", "الغاء الطلبيه"
    np.testing.assert_allclose(ngrams(model, variant), ngrams(model, folded), atol=1e-6)
    assert not np.allclose(ngrams(plain, variant), ngrams(plain, folded))
    assert model.describe()["preprocessor"] == "arabic"


def test_the_neighbour_vote_is_mixed_into_the_probabilities(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    vectors = IntentModel().embed(texts)
    with_vote = IntentModel().fit(texts, labels, vectors=vectors)
    without = IntentModel(knn_weight=0).fit(texts, labels, vectors=vectors)
    assert "knn" in with_vote.describe()["kind"].split("+")
    assert "knn" not in without.describe()["kind"].split("+")
    assert with_vote.neighbours.shape == (len(texts), with_vote.embedder().dimension)
    assert without.neighbours is None

    # Each training text's nearest neighbour is itself: the vote puts most weight on its label.
    vote = with_vote._neighbour_proba(vectors)
    np.testing.assert_allclose(vote.sum(axis=1), 1.0, atol=1e-9)
    own = [with_vote.classes_.index(label) for label in labels]
    assert (vote.argmax(axis=1) == np.asarray(own)).mean() > 0.9

    # The scores are the log of the (1 : knn_weight) average of both probabilities.
    logits = without.decision(texts[:4], vectors=vectors[:4])
    mixed = softmax(with_vote.decision(texts[:4], vectors=vectors[:4]))
    expected = (softmax(logits) + 0.4 * vote[:4]) / 1.4
    np.testing.assert_allclose(mixed, expected, atol=1e-6)
    predictions = with_vote.predict(texts[:4], vectors=vectors[:4])
    assert all(prediction.intent in with_vote.classes_ for prediction in predictions)


def test_an_artifact_trained_before_recipe_3_still_answers_without_the_vote(tiny):
    texts = [example.text for example in tiny]
    labels = [example.intent for example in tiny]
    old = IntentModel(knn_weight=0, preprocessor=None).fit(texts, labels)
    for name in ("knn_weight", "knn_k", "knn_temperature", "preprocessor", "neighbours"):
        del old.__dict__[name]  # as unpickled from a file written before nlu-model
    again = IntentModel.loads(old.dumps())
    assert again.knn == 0.0
    assert again.text_preprocessor is None
    assert again.predict([texts[0]])[0].intent in again.classes_


def test_the_builtin_cache_key_follows_the_vote(monkeypatch):
    with_vote = backends.builtin_key()
    monkeypatch.setattr(training, "DEFAULT_PARAMS", {"knn_weight": 0.0})
    assert backends.builtin_key() != with_vote
    monkeypatch.setattr(training, "DEFAULT_PARAMS", {"preprocessor": None})
    assert backends.builtin_key() != with_vote
