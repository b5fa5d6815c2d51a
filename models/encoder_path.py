"""The encoder's CPU inference paths, and the one used unless a setting names another."""

from typing import Literal

EncoderPath = Literal["fp32", "bf16", "int8", "onnx-int8"]
DEFAULT_ENCODER_PATH: EncoderPath = "onnx-int8"  # fastest at equal quality (docs/benchmarks.md)
