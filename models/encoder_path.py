"""The encoder's CPU inference paths and token limit, and those used unless a setting names others."""

from typing import Literal

EncoderPath = Literal["auto", "fp32", "bf16", "int8", "onnx-int8"]
DEFAULT_ENCODER_PATH: EncoderPath = "onnx-int8"  # >= 2.5x fp32 without torch on the path (docs/benchmarks.md)
DEFAULT_MAX_TOKENS = 256  # word pieces read per text: 128 (the training length) lost MRR (docs/benchmarks.md)
