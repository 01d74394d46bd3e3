"""Review sentiment: the built-in model's scores, aspects in several languages, and the scoring
job (queued on commit, stored, idempotent, a failure kept and retried)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ai import services
from ai.sentiment import backends
from ai.sentiment.aspects import aspects_mentioned, extract_aspects, split_sentences
from reviews.models import Review, ReviewStatus
from reviews.services import review_create
from shop.jobs import job_retry
from shop.models import Job, JobStatus
from tests.factories import ProductFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_sentiment(settings, tmp_path):
    settings.AI_SENTIMENT_MODEL = ""
    settings.AI_SENTIMENT_DIR = str(tmp_path / "sentiment")
    backends._cache.clear()
    backends._active.update({"checked": 0.0, "key": None, "path": ""})
    yield
    backends._cache.clear()
    backends._active.update({"checked": 0.0, "key": None, "path": ""})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I absolutely love this necklace, it is stunning!", "positive"),
        ("Terrible. It broke after two days and looks cheap.", "negative"),
        ("Magnifique, je suis ravie de ma bague.", "positive"),
        ("Sehr enttäuscht, die Kette ist nach einer Woche gerissen.", "negative"),
        ("Precioso, me encanta, muy buena calidad.", "positive"),
        ("质量很差，戴了两天就坏了，非常失望。", "negative"),
        ("とても可愛くて大満足です。", "positive"),
    ],
)
def test_the_built_in_model_gives_sensible_labels_before_any_training(db, text, expected):
    [result] = services.score_texts([text])
    assert result["label"] == expected
    assert (result["score"] > 0) == (expected == "positive")
    assert -1 <= result["score"] <= 1
    assert abs(sum(result["probabilities"].values()) - 1) < 1e-3  # rounded to 4 places


@pytest.mark.parametrize(
    "text, aspects",
    [
        ("The quality is great but shipping took three weeks.", ["quality", "shipping"]),
        ("Trop petite, et l'emballage était abîmé.", ["size_fit", "packaging"]),
        ("Der Preis ist zu hoch und der Kundendienst antwortet nicht.", ["price", "service"]),
        ("La talla es perfecta y el envío fue rápido.", ["size_fit", "shipping"]),
        ("做工很好，但是包装太简陋了。", ["quality", "packaging"]),
        ("サイズがぴったりで、値段も安い。", ["size_fit", "price"]),
        ("الجودة ممتازة لكن الشحن بطيء", ["quality", "shipping"]),
    ],
)
def test_aspects_are_found_in_every_language(text, aspects):
    assert extract_aspects(text) == aspects


def test_contrast_words_split_a_sentence_so_each_aspect_gets_its_own_sentiment(db):
    text = "The ring is beautiful and well made, but the delivery was very late and slow."
    assert len(split_sentences(text)) == 2
    [result] = services.score_texts([text])
    assert result["aspects"]["quality"]["label"] == "positive"
    assert result["aspects"]["shipping"]["label"] == "negative"
    assert aspects_mentioned("nothing to see here") == []


def test_a_saved_review_is_scored_by_a_job_after_commit(
    db, eager_celery, django_capture_on_commit_callbacks
):
    product = ProductFactory(handle="gold-ring")
    shopper = UserFactory(email="ada@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(
            product=product,
            author=shopper,
            rating=1,
            title="Awful",
            text="The stone fell out after a week. Very poor quality, do not buy.",
        )

    review.refresh_from_db()
    assert review.sentiment == "negative"
    assert review.sentiment_score < 0
    assert review.aspects["quality"]["label"] == "negative"
    assert review.scored_at is not None
    job = Job.objects.get(kind=services.JOB_SENTIMENT_SCORE)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["scored"] == 1

    # Scoring again gives the same result (idempotent)
    first = (review.sentiment, review.sentiment_score)
    services.sentiment_score_reviews(review_ids=[review.pk])
    review.refresh_from_db()
    assert (review.sentiment, review.sentiment_score) == first


def test_a_failed_scoring_job_keeps_its_error_and_a_retry_scores_the_review(
    db, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    product = ProductFactory(handle="gold-ring")

    def broken(**kwargs):
        raise RuntimeError("the sentiment model file is corrupt")

    monkeypatch.setattr(backends, "get_scorer", broken)
    monkeypatch.setattr("ai.sentiment.scoring.get_scorer", broken)
    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(product=product, rating=5, text="Lovely ring", author_name="Mo")

    job = Job.objects.get(kind=services.JOB_SENTIMENT_SCORE)
    assert job.status == JobStatus.FAILED
    assert "the sentiment model file is corrupt" in job.error
    review.refresh_from_db()
    assert review.scored_at is None

    # When the cause is fixed and the merchant retries
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retry = job_retry(job=job)

    retry.refresh_from_db()
    assert retry.status == JobStatus.SUCCEEDED
    assert retry.retry_of == job
    review.refresh_from_db()
    assert review.sentiment == "positive"


def test_bulk_scoring_scores_every_unscored_review(
    db, eager_celery, django_capture_on_commit_callbacks
):
    product = ProductFactory(handle="gold-ring")
    for index, (stars, text) in enumerate([(5, "Wonderful"), (1, "Horrible, broken")]):
        review_create(
            product=product, rating=stars, text=text, author_name=f"R{index}", score=False
        )

    with django_capture_on_commit_callbacks(execute=True):
        job = services.sentiment_score_reviews_start(only_unscored=True)

    job.refresh_from_db()
    assert job.result["scored"] == 2
    assert not Review.objects.filter(scored_at__isnull=True).exists()


def test_score_sentiment_writes_label_and_score_columns(db, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        'id,text\n1,I love it so much\n2,"Cassé, nul, je suis très déçu"\n', encoding="utf-8"
    )
    target = tmp_path / "out.csv"

    call_command("score_sentiment", str(source), str(target), stdout=io.StringIO())

    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["1", "2"]
    assert [row["label"] for row in rows] == ["positive", "negative"]
    assert float(rows[0]["score"]) > 0 > float(rows[1]["score"])


def test_score_sentiment_needs_a_text_column(db, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("comment\nnice\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no `text` column"):
        call_command("score_sentiment", str(source), str(tmp_path / "out.csv"))


def test_a_configured_transformers_model_that_cannot_load_says_so(db, settings):
    settings.AI_SENTIMENT_MODEL = "/nonexistent/sentiment-model"
    with pytest.raises(services.SentimentBackendError, match="AI_SENTIMENT_MODEL"):
        services.score_texts(["nice"])


def test_pending_reviews_are_scored_too_but_stay_pending(
    db, eager_celery, django_capture_on_commit_callbacks
):
    product = ProductFactory(handle="gold-ring")
    with django_capture_on_commit_callbacks(execute=True):
        review = review_create(
            product=product, rating=5, text="Great", author_name="A", status=ReviewStatus.PENDING
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert review.scored_at is not None


@pytest.fixture
def tiny_star_model(tmp_path):
    """A tiny BERT text classifier with star labels, saved like a Hugging Face model folder
    (random weights: it checks the loading and the label mapping, not the quality)."""
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from ai.embeddings.hf import default_model_dir

    tokenizer = AutoTokenizer.from_pretrained(default_model_dir(), local_files_only=True)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=5,
        id2label={i: f"{i + 1} stars" for i in range(5)},
        label2id={f"{i + 1} stars": i for i in range(5)},
    )
    folder = tmp_path / "tiny-stars"
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_a_configured_transformers_model_scores_with_its_labels_mapped(
    db, settings, tiny_star_model
):
    settings.AI_SENTIMENT_MODEL = str(tiny_star_model)

    results = services.score_texts(["great ring", "awful ring", "okay"])

    assert len(results) == 3
    for result in results:
        assert result["label"] in ("negative", "neutral", "positive")
        assert abs(sum(result["probabilities"].values()) - 1) < 1e-3  # rounded to 4 places
    scorer = backends.get_scorer()
    assert scorer.name == f"transformers:{tiny_star_model}"
    # 1-2 stars negative, 3 neutral, 4-5 positive
    assert scorer.mapping.argmax(axis=1).tolist() == [0, 0, 1, 2, 2]


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_scores_a_saved_review(tmp_path, settings):
    from tests.worker import celery_worker, wait_until

    product = ProductFactory(handle="gold-ring")
    review = review_create(
        product=product, rating=1, text="Broken after a day, awful.", author_name="Jo", score=False
    )
    log_path = tmp_path / "worker.log"
    with celery_worker(log_path) as queue:
        job = services.sentiment_score_reviews_start(review_ids=[review.pk], queue=queue)

        def finished() -> bool:
            job.refresh_from_db()
            return job.status not in (JobStatus.QUEUED, JobStatus.RUNNING)

        wait_until(finished, timeout=240, log_path=log_path)

    assert job.status == JobStatus.SUCCEEDED, job.error
    review.refresh_from_db()
    assert review.sentiment == "negative"


def test_a_review_vector_is_the_mean_of_its_sentence_vectors(db):
    from ai.embeddings import get_embedder
    from ai.sentiment.model import encode_reviews

    embedder = get_embedder("use-multilingual")
    texts = ["Lovely ring. The clasp broke after a week!", "Très jolie bague."]
    encoding = encode_reviews(texts, embedder.embed)

    assert encoding.sentences == [
        "Lovely ring.",
        "The clasp broke after a week!",
        "Très jolie bague.",
    ]
    first, second, third = embedder.embed(encoding.sentences)
    expected = (first + second) / ((first + second) ** 2).sum() ** 0.5
    assert abs(encoding.review_vectors[0] - expected).max() < 1e-5
    assert abs(encoding.review_vectors[1] - third).max() < 1e-5
    assert encoding.vectors_for(["Très jolie bague."]).shape == (1, embedder.dimension)
    assert encoding.vectors_for(["Not one of them."]) is None


def test_aspects_scored_from_the_shared_sentence_vectors_match_scoring_each_sentence_alone(db):
    from ai.sentiment.backends import get_scorer
    from ai.sentiment.scoring import score_texts

    scorer = get_scorer()
    texts = [
        "The quality is superb but shipping took three weeks. Price was fair.",
        "Trop petite, et l'emballage était abîmé.",
        "做工很好，但是包装太简陋了。",
    ]
    shared = score_texts(texts, scorer=scorer)
    for text, result in zip(texts, shared, strict=True):
        for aspect, found in result["aspects"].items():
            sentences = [s for s in split_sentences(text) if aspect in aspects_mentioned(s)]
            alone = [row[2] - row[0] for row in scorer.predict_proba(sentences)]
            assert found["score"] == pytest.approx(sum(alone) / len(alone), abs=1e-3)
            assert found["mentions"] == len(sentences)
    assert shared[0]["aspects"]["shipping"]["label"] == "negative"


def test_a_model_saved_before_sentence_pooling_still_reads_whole_texts(db):
    from ai.sentiment.model import SentimentModel

    texts = ["Great ring, love it.", "Awful, it broke.", "It is fine."] * 4
    labels = ["positive", "negative", "neutral"] * 4
    model = SentimentModel(char_ngrams=False, pooling="text").fit(texts, labels)
    del model.pooling  # as unpickled from an artifact written before the attribute existed
    restored = SentimentModel.loads(model.dumps())

    assert restored.vector_kind == ("use-multilingual", "text")
    encoding = restored.encode(["One. Two."])
    assert encoding.sentences == ["One. Two."]
