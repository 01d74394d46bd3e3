"""The shop assistant's intent understanding: the built-in model on held-out examples of every
intent in every language, out of scope, the language of short messages, the training job (a
ModelVersion, activated only when better) and the merchant's examples."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ai import services
from ai.assistant import backends, versions
from ai.assistant.examples import Example, shipped_examples, training_examples
from ai.assistant.intents import INTENTS, LANGUAGES, OUT_OF_SCOPE
from ai.assistant.understanding import resolve_language
from ai.jobs import job_run_here
from ai.models import Capability, IntentExample, JobStatus, ModelVersion

from .assistant_helpers import BUILTIN_DIR, fit_small, register_version, subset

pytestmark = pytest.mark.usefixtures("isolated_assistant_models")


@pytest.fixture
def builtin(settings):
    settings.AI_ASSISTANT_DIR = str(BUILTIN_DIR)
    backends.clear_cache()
    return backends.builtin_model()


# --- the built-in model ------------------------------------------------------------------------
def test_the_builtin_model_knows_every_intent_in_every_language_from_held_out_examples(builtin):
    """Three eval examples (never trained on) per intent and language: none of the 154
    (language, intent) pairs missed entirely, and at least 85% right in all (the bench measures
    the whole eval set: ~0.91)."""
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for example in shipped_examples("eval"):
        if len(by_key[example.language, example.intent]) < 3:
            by_key[example.language, example.intent].append(example.text)
    languages = {language for language, _intent in by_key}
    assert languages == set(LANGUAGES), "every language ships eval examples"
    keys = sorted(by_key)
    texts = [text for key in keys for text in by_key[key]]
    predicted = iter(prediction.intent for prediction in builtin.predict(texts))
    failures, right = [], 0
    for language, intent in keys:
        got = [next(predicted) for _text in by_key[language, intent]]
        right += sum(value == intent for value in got)
        if intent not in got:
            failures.append((language, intent, by_key[language, intent], got))
    assert not failures
    assert right / len(texts) >= 0.85
    assert {intent for _language, intent in keys} == set(INTENTS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "what's the weather in Paris",
        "How do I reverse a list in Python?",
        "write me a python function that sorts a dictionary by value",
        "quel temps fera-t-il demain à Lyon ?",
    ],
)
def test_off_topic_messages_are_out_of_scope(builtin, text):
    understood = services.assistant_understand(text, language_hint="en")
    assert understood.intent == OUT_OF_SCOPE, understood.ranking


@pytest.mark.django_db
def test_understand_gives_the_contract_fields(builtin):
    understood = services.assistant_understand(
        "where is my order 261207-ABCD2345? I ordered two weeks ago", language_hint="fr"
    )
    assert understood.intent == "order_status"
    assert understood.language == "en"
    assert 0 < understood.confidence <= 1
    assert understood.low_confidence is False
    assert len(understood.ranking) == 3
    assert understood.ranking[0][0] == "order_status"
    assert understood.entities.order_numbers == ("261207-ABCD2345",)


@pytest.mark.django_db
def test_an_empty_message_is_out_of_scope_without_a_model():
    understood = services.assistant_understand("   ", language_hint="ja")
    assert (understood.intent, understood.language, understood.low_confidence) == (
        OUT_OF_SCOPE,
        "ja",
        True,
    )


def test_a_low_confidence_prediction_becomes_out_of_scope(builtin):
    text = "where is my order? it has not arrived yet"
    sure = builtin.predict([text])[0]
    assert (sure.intent, sure.low_confidence) == ("order_status", False)
    assert 0.0 < builtin.threshold < 1.0, "calibrated on held-out training data"
    unsure = builtin.predict([text], threshold=sure.confidence + 0.001)[0]
    assert (unsure.intent, unsure.low_confidence) == (OUT_OF_SCOPE, True)
    assert unsure.ranking[0][0] == "order_status", "the ranking is before the threshold"
    assert unsure.confidence == sure.confidence


def test_the_builtin_model_is_loaded_from_its_disk_cache_by_the_next_process(builtin, monkeypatch):
    assert backends.builtin_path().exists()
    backends.clear_cache(builtin=True)  # as a new process

    def no_training(*args, **kwargs):
        raise AssertionError("trained again instead of loading the cached model")

    monkeypatch.setattr(backends, "train_builtin", no_training)
    again = backends.builtin_model()
    assert again is not builtin
    assert again.classes_ == builtin.classes_
    assert backends.builtin_model() is again  # one load per process


# --- language ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("merci", "de", "de"),  # short Latin text: the page's language
        ("ok thanks", "es", "es"),
        ("hola", None, "en"),  # nothing to go on: the store's default language
        ("où est ma commande, je l'attends depuis une semaine", "en", "fr"),
        ("Wo ist meine Bestellung? Ich warte seit einer Woche", "fr", "de"),
        ("ありがとう", "en", "ja"),  # a script decides even one word
        ("谢谢", "en", "zh-hans"),
        ("返品", "ja", "ja"),  # kanji alone may be Japanese: the hint decides
        ("شكرا", "fr", "ar"),
        ("thanks", "xx-unknown", "en"),
        ("merci", "fr-FR", "fr"),
    ],
)
def test_language_is_detected_and_short_messages_fall_back_to_the_hint(
    settings, text, hint, expected
):
    settings.LANGUAGE_CODE = "en"
    assert resolve_language(text, hint) == expected


# --- training ------------------------------------------------------------------------------------
@pytest.fixture
def small_data(monkeypatch):
    """The job trains on 6 examples per intent in three languages and measures on 3."""
    train = subset("train", per_intent=6)
    evaluation = subset("eval", per_intent=3)
    monkeypatch.setattr(versions, "shipped_examples", lambda split: evaluation)
    monkeypatch.setattr(versions, "training_examples", lambda: train + _merchant_examples())
    return train, evaluation


def _merchant_examples():
    from ai.assistant.examples import merchant_examples

    return merchant_examples()


@pytest.mark.django_db
def test_the_training_job_registers_a_version_and_activates_only_a_better_model(
    settings, small_data
):
    poor = fit_small(subset("train", per_intent=1, languages=("en",)))
    first = register_version(poor, backends.models_dir())
    assert first.is_active

    job = job_run_here(kind=services.JOB_ASSISTANT_TRAIN)
    assert job.status == JobStatus.SUCCEEDED, job.error
    better = ModelVersion.objects.get(capability=Capability.ASSISTANT, version=2)
    assert job.result["activated"] is True
    assert better.is_active
    metrics = better.metrics
    assert set(metrics["per_language"]) == {"en", "fr", "ja"}
    for values in metrics["per_language"].values():
        assert {"accuracy", "macro_f1", "oos_precision", "oos_recall"} <= set(values)
    assert 0 <= metrics["threshold"] < 1
    assert metrics["compared_with"] == "v1"
    assert better.parameters["train_examples"] == len(small_data[0])
    # The chat now answers with the new version.
    assert backends.current_model(fresh=True).info["examples"] == len(small_data[0])

    # A model trained on less is measured on the same eval and recorded inactive, with why.
    worse_result = versions.train_assistant(
        examples=subset("train", per_intent=1), eval_examples=small_data[1], folds=2
    )
    assert worse_result["activated"] is False
    assert worse_result["reason"].startswith("not activated")
    assert "v2" in worse_result["reason"]
    worse = ModelVersion.objects.get(capability=Capability.ASSISTANT, version=3)
    assert not worse.is_active
    assert ModelVersion.objects.get(pk=better.pk).is_active


@pytest.mark.django_db
def test_the_training_job_runs_on_a_worker_through_the_job_framework(
    settings, small_data, eager_celery, django_capture_on_commit_callbacks, merchant
):
    register_version(
        fit_small(subset("train", per_intent=1, languages=("en",))), backends.models_dir()
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = services.assistant_train_start(user=merchant)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress == 100
    assert job.result["version"] == 2


# --- the merchant's examples -------------------------------------------------------------------
@pytest.mark.django_db
def test_intent_examples_change_the_training_set(merchant):
    shipped = len(training_examples())
    example = services.assistant_add_training_example(
        text="do you engrave initials inside the band?",
        intent="product_question",
        language="en",
        user=merchant,
    )
    assert example.source == "merchant" and example.created_by == merchant
    examples = training_examples()
    assert len(examples) == shipped + 1
    assert examples[-1] == Example(
        text="do you engrave initials inside the band?",
        intent="product_question",
        language="en",
        source="merchant",
    )
    # The same text again: no duplicate.
    again = services.assistant_add_training_example(
        text="do you engrave initials inside the band?", intent="product_question", language="en"
    )
    assert again.pk == example.pk
    # Relabelled from a conversation: the new label replaces the old one.
    services.assistant_add_training_example(
        text="do you engrave initials inside the band?",
        intent="product_search",
        language="en",
        source="conversation",
    )
    merchant_rows = [e for e in training_examples() if e.source != "shipped"]
    assert [(e.intent, e.source) for e in merchant_rows] == [("product_search", "conversation")]
    IntentExample.objects.update(is_active=False)
    assert len(training_examples()) == shipped


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"text": " ", "intent": "greeting", "language": "en"},
        {"text": "hi", "intent": "smalltalk", "language": "en"},
        {"text": "hi", "intent": "greeting", "language": "it"},
        {"text": "hi", "intent": "greeting", "language": "en", "source": "robot"},
    ],
)
def test_invalid_training_examples_are_refused(fields):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assistant_add_training_example(**fields)
    assert not IntentExample.objects.exists()


@pytest.mark.django_db
def test_merchant_examples_reach_the_trained_model(small_data):
    register_version(
        fit_small(subset("train", per_intent=1, languages=("en",))), backends.models_dir()
    )
    for text in ("zorblax", "zorblax please", "i want zorblax"):
        services.assistant_add_training_example(text=text, intent="newsletter", language="en")
    result = services.assistant_train()
    version = ModelVersion.objects.get(capability=Capability.ASSISTANT, version=result["version"])
    assert version.parameters["train_by_source"]["merchant"] == 3
    model = backends.load_artifact(version.artifact_path)
    assert model.predict(["zorblax"], threshold=0.0)[0].intent == "newsletter"


# --- admin ---------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_admin_lists_filters_and_searches_examples(merchant_client, merchant):
    services.assistant_add_training_example(
        text="necesito hablar con alguien", intent="human_agent", language="es", user=merchant
    )
    services.assistant_add_training_example(text="bonjour", intent="greeting", language="fr")
    url = "/admin/ai/intentexample/"
    response = merchant_client.get(url, {"language": "es", "intent": "human_agent"})
    assert response.status_code == 200
    assert "necesito hablar con alguien" in response.content.decode()
    assert "bonjour" not in response.content.decode()
    response = merchant_client.get(url, {"q": "bonjour", "source": "merchant"})
    assert "bonjour" in response.content.decode()
    response = merchant_client.post(
        url,
        {
            "action": "deactivate_examples",
            "_selected_action": list(IntentExample.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert not IntentExample.objects.filter(is_active=True).exists()


def test_admin_actions_declare_their_permissions():
    from django.contrib import admin

    model_admin = admin.site._registry[IntentExample]
    for name in model_admin.actions:
        action = getattr(type(model_admin), name)
        assert action.allowed_permissions, name


@pytest.mark.django_db
def test_warm_up_loads_the_model_and_never_raises(builtin, monkeypatch):
    assert backends.warm_up() is not None

    def broken(**kwargs):
        raise backends.AssistantModelError("no model")

    monkeypatch.setattr(backends, "current_model", broken)
    assert backends.warm_up() is None


@pytest.mark.django_db(transaction=True)
def test_a_web_worker_warms_the_assistant_up_in_a_thread_unless_turned_off(builtin, settings):
    settings.AI_ASSISTANT_WARM_UP = False
    assert backends.start_warm_up() is None

    settings.AI_ASSISTANT_WARM_UP = True
    backends.clear_cache()
    thread = backends.start_warm_up()
    thread.join(timeout=600)
    assert not thread.is_alive()
    assert backends.current_model() is not None


@pytest.mark.django_db
def test_the_warm_up_command_builds_or_loads_the_model(builtin):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("warm_up_assistant", stdout=out)
    assert "Shop assistant ready" in out.getvalue()
