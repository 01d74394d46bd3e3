"""Training the sentiment model on the store's rated reviews: held-out metrics recorded in a
ModelVersion, the classifier saved as a file, activated only when it beats the model in use."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ai import services
from ai.models import Capability, ModelVersion
from ai.registry import model_version_register
from ai.sentiment import backends
from ai.sentiment.model import SentimentModel
from ai.sentiment.training import train_sentiment
from reviews.models import Review, ReviewStatus
from tests.factories import ProductFactory

POSITIVE = [
    "Beautiful ring, I love it",
    "Gorgeous necklace, very happy",
    "Perfect gift, she adores it",
    "Magnifique bague, je l'adore",
    "Superbe collier, très contente",
    "Wunderschön, sehr zufrieden",
    "Toller Ring, gerne wieder",
    "Precioso anillo, me encanta",
    "Muy bonito, lo recomiendo",
    "非常漂亮，很喜欢",
    "质量很好，推荐",
    "とても綺麗で満足です",
    "素敵な指輪です",
    "Stunning earrings, great quality",
    "Lovely bracelet, fast delivery",
]
NEUTRAL = [
    "It is okay, nothing special",
    "Average ring for the price",
    "Fine but a bit small",
    "Correct, sans plus",
    "Pas mal, un peu petit",
    "Ganz okay, nichts Besonderes",
    "Geht so, etwas klein",
    "Está bien, nada especial",
    "Normal, algo pequeño",
    "一般般，还可以",
    "中规中矩",
    "普通です",
    "まあまあです",
    "Decent but the colour differs",
    "Acceptable, three stars",
]
NEGATIVE = [
    "Terrible, it broke in two days",
    "Awful quality, looks cheap",
    "Turned my finger green",
    "Très déçue, cassé",
    "Nul, à éviter",
    "Sehr enttäuscht, kaputt",
    "Schlechte Qualität",
    "Muy mala calidad, roto",
    "Decepcionante, no lo compren",
    "质量太差，很失望",
    "两天就坏了",
    "品質が悪くがっかり",
    "すぐ壊れました",
    "Stone fell out, horrible",
    "Waste of money",
]


@pytest.fixture(autouse=True)
def _fresh_sentiment(settings, tmp_path):
    settings.AI_SENTIMENT_MODEL = ""
    settings.AI_SENTIMENT_DIR = str(tmp_path / "sentiment")
    # These are the n-gram backend's tests (e5 fine-tuning, the default: test_sentiment_job.py).
    settings.AI_SENTIMENT_BACKEND = "ngram-logreg"
    backends._cache.clear()
    backends._active.update({"checked": 0.0, "key": None, "path": ""})
    yield
    backends._cache.clear()
    backends._active.update({"checked": 0.0, "key": None, "path": ""})


@pytest.fixture
def rated_reviews(db):
    product = ProductFactory(handle="gold-ring")
    reviews = []
    # 4-5 stars positive, 3 neutral, 1-2 negative
    for stars, shift, texts in ((5, -1, POSITIVE), (3, 0, NEUTRAL), (1, 1, NEGATIVE)):
        for index, text in enumerate(texts):
            reviews.append(
                Review(
                    product=product,
                    rating=stars + shift * (index % 2),
                    text=text,
                    author_name=f"r{stars}-{index}",
                    status=ReviewStatus.APPROVED,
                )
            )
    Review.objects.bulk_create(reviews)
    # A rejected review never teaches the model
    Review.objects.create(product=product, rating=5, text="spam spam", status="rejected")
    return reviews


def inverted_model(tmp_path) -> str:
    """A classifier trained with positive and negative swapped: clearly worse than any fit."""
    texts = POSITIVE + NEUTRAL + NEGATIVE
    labels = (
        ["negative"] * len(POSITIVE) + ["neutral"] * len(NEUTRAL) + ["positive"] * len(NEGATIVE)
    )
    path = Path(tmp_path) / "inverted.pkl"
    path.write_bytes(SentimentModel(char_ngrams=True).fit(texts, labels).dumps())
    return str(path)


def test_training_activates_a_better_model_and_not_an_equal_one(rated_reviews, tmp_path):
    # Given an active model that gets positive and negative the wrong way round
    bad = model_version_register(
        capability=Capability.SENTIMENT,
        artifact_path=inverted_model(tmp_path),
        metrics={"macro_f1": 0.1},
    )

    # When the store trains on its reviews
    first = train_sentiment()

    # Then the new version beat it on the held-out reviews and is active, its file saved
    assert first["activated"] is True
    assert first["compared_with"] == f"v{bad.version}"
    assert first["metrics"]["macro_f1"] > first["compared_metrics"]["macro_f1"]
    active = ModelVersion.objects.get(capability=Capability.SENTIMENT, is_active=True)
    assert active.version == first["version"] == bad.version + 1
    assert Path(active.artifact_path).is_file()
    assert active.metrics["macro_f1"] == first["metrics"]["macro_f1"]
    assert set(active.metrics["per_language"]) >= {"en"}
    assert active.parameters["train_reviews"] + active.parameters["test_reviews"] == 45

    # When it trains again on the same reviews (the same model: not better)
    second = train_sentiment()

    # Then the second version is recorded but the first stays active
    assert second["activated"] is False
    assert second["metrics"]["macro_f1"] == second["compared_metrics"]["macro_f1"]
    recorded = ModelVersion.objects.get(capability=Capability.SENTIMENT, version=second["version"])
    assert not recorded.is_active
    assert recorded.metrics["activated"] is False
    assert ModelVersion.objects.get(is_active=True, capability=Capability.SENTIMENT).pk == active.pk


def test_the_active_trained_model_is_the_one_that_scores(rated_reviews, tmp_path):
    model_version_register(capability=Capability.SENTIMENT, artifact_path=inverted_model(tmp_path))
    # The inverted model is in use: it calls a glowing review negative
    assert services.score_texts(["Beautiful ring, I love it"])[0]["label"] == "negative"

    train_sentiment()
    backends._active["checked"] = 0.0  # as a worker does after a few seconds

    assert services.score_texts(["Beautiful ring, I love it"])[0]["label"] == "positive"


def test_train_sentiment_prints_the_held_out_metrics(rated_reviews):
    out = io.StringIO()
    call_command("train_sentiment", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "macro-F1" in text
    assert "held-out" in text
    assert "built-in" in text  # compared with the built-in model: nothing was trained before
    assert ModelVersion.objects.filter(capability=Capability.SENTIMENT).count() == 1


def test_training_with_too_few_reviews_fails_with_a_clear_message(db):
    product = ProductFactory(handle="gold-ring")
    Review.objects.create(product=product, rating=5, text="Nice", status="approved")
    with pytest.raises(CommandError, match="at least 30 rated reviews"):
        call_command("train_sentiment", stdout=io.StringIO(), stderr=io.StringIO())
    assert not ModelVersion.objects.filter(capability=Capability.SENTIMENT).exists()


def test_training_runs_as_a_job_with_progress(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_sentiment_training()
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.progress == 100
    assert job.result["version"] == 1
