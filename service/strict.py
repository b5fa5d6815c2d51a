"""Strict request bodies: unknown fields refused, no coercion, JSON Schema's own idea of an integer."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict


def whole(value: object) -> object:
    """A float with no fraction as the int JSON Schema says it is (`3.0` is an integer there)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


WholeNumber = Annotated[int, BeforeValidator(whole)]  # strict otherwise: "3" and true are refused


class StrictBody(BaseModel):
    """A request body: unknown fields are refused (422 naming them), and values are not coerced
    (`"k": "3"` and `"k": true` are not 3)."""

    model_config = ConfigDict(extra="forbid", strict=True)
