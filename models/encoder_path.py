"""The encoder's CPU inference paths and token limit, and those used unless a setting names others."""

from typing import Literal

EncoderPath = Literal["auto", "fp32", "bf16", "int8", "onnx-int8"]
DEFAULT_ENCODER_PATH: EncoderPath = "auto"  # bf16 where native, else onnx-int8 (docs/benchmarks.md)
DEFAULT_MAX_TOKENS = 256  # word pieces read per text: 128 (the training length) lost MRR (docs/benchmarks.md)
