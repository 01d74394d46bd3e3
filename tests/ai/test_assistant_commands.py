"""`manage.py evaluate_assistant` and `manage.py train_assistant`: one prediction per input line
in order, figures per language, clear errors for malformed files."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ai.assistant import backends, versions
from ai.models import Capability, ModelVersion

from .assistant_helpers import fit_small, register_version, subset


@pytest.fixture
def small_model(db, settings, tmp_path):
    """A small model trained on a few examples, active: the commands answer with it."""
    settings.AI_ASSISTANT_DIR = str(tmp_path / "assistant")
    backends.clear_cache()
    model = fit_small(subset("train", per_intent=5))
    register_version(model, tmp_path / "assistant")
    yield model
    backends.clear_cache()


def write_lines(path, lines) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_evaluate_writes_one_prediction_per_line_in_order_and_prints_figures(small_model, tmp_path):
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"text": "where is my order?", "language": "en", "intent": "order_status"}),
            json.dumps({"text": "merci", "language": "fr"}),
            json.dumps({"text": "注文をキャンセルしたいです", "intent": "order_cancel"}),
            json.dumps({"text": "what's the weather in Paris", "intent": "out_of_scope"}),
        ],
    )
    out = tmp_path / "predictions.jsonl"
    stdout = io.StringIO()
    call_command("evaluate_assistant", source, predictions=str(out), stdout=stdout, verbosity=0)
    predictions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(predictions) == 4
    for prediction in predictions:
        assert set(prediction) == {"intent", "confidence", "language", "low_confidence"}
        assert 0 <= prediction["confidence"] <= 1
    assert [p["language"] for p in predictions] == ["en", "fr", "ja", "en"]
    expected = [
        small_model.predict([text])[0].intent
        for text in (
            "where is my order?",
            "merci",
            "注文をキャンセルしたいです",
            "what's the weather in Paris",
        )
    ]
    assert [p["intent"] for p in predictions] == expected
    text = stdout.getvalue()
    assert "4 lines understood, 3 with an expected intent." in text
    for language in ("en", "ja"):
        assert any(line.startswith(language) for line in text.splitlines())
    assert "OOS recall" in text


def test_evaluate_json_gives_figures_per_language_and_the_predictions(small_model, tmp_path):
    source = write_lines(
        tmp_path / "in.jsonl",
        [
            json.dumps({"text": "I want to talk to a person", "intent": "human_agent"}),
            json.dumps({"text": "je veux parler à un conseiller", "intent": "human_agent"}),
        ],
    )
    stdout = io.StringIO()
    call_command("evaluate_assistant", source, json=True, stdout=stdout)
    report = json.loads(stdout.getvalue())
    assert report["lines"] == 2 and len(report["predictions"]) == 2
    assert set(report["per_language"]) == {"en", "fr"}
    overall = report["overall"]
    assert {"accuracy", "macro_f1", "oos_precision", "oos_recall"} <= set(overall)
    correct = sum(p["intent"] == "human_agent" for p in report["predictions"])
    assert overall["accuracy"] == correct / 2


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"text": "hello"}', "{not json"], "line 2: not valid JSON"),
        (['{"text": "hello"}', '{"text": "hi", "intent": "smalltalk"}'], "line 2: unknown intent"),
        (['["hello"]'], "line 1: expected a JSON object"),
        (['{"text": ""}'], 'line 1: "text" must be a non-empty string'),
        (['{"text": "hi", "language": "klingon"}'], "line 1: unknown language"),
        (['{"text": "hi"}', "", '{"text": "bye"}'], "line 2: empty line"),
    ],
)
def test_evaluate_reports_a_malformed_line_by_its_number(db, tmp_path, lines, message):
    source = write_lines(tmp_path / "bad.jsonl", lines)
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("evaluate_assistant", source, stdout=io.StringIO())


def test_evaluate_reports_a_missing_or_binary_file(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("evaluate_assistant", str(tmp_path / "missing.jsonl"))
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("evaluate_assistant", str(binary))


def test_train_assistant_prints_metrics_per_language(small_model, monkeypatch):
    train = subset("train", per_intent=6, languages=("en", "de"))
    evaluation = subset("eval", per_intent=2, languages=("en", "de"))
    monkeypatch.setattr(versions, "training_examples", lambda: train)
    monkeypatch.setattr(versions, "shipped_examples", lambda split: evaluation)
    stdout = io.StringIO()
    call_command("train_assistant", stdout=stdout, verbosity=0)
    text = stdout.getvalue()
    assert f"Trained on {len(train)} examples" in text
    assert any(line.startswith("de ") for line in text.splitlines())
    assert any(line.startswith("en ") for line in text.splitlines())
    version = ModelVersion.objects.get(capability=Capability.ASSISTANT, version=2)
    assert ("is now active" in text) == version.is_active
