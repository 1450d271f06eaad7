"""Shared pydantic configuration for the scenario and card language.

Strict and closed: a designer's typo (an unknown key, `"3"` for 3, NaN) is an error, never
silently coerced or dropped. Models are frozen because a Scenario is validated once and then
shared by every state, bot and replay.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
"""Identifiers are lowercase slugs so they read the same in YAML, journals and the CLI."""

Percent = Annotated[int, Field(ge=-100, le=100)]

SHORT_MAX = 20
"""The longest short name: what fits a log line's subject, a table column or the status line."""

ShortName = Annotated[
    str, StringConstraints(min_length=1, max_length=SHORT_MAX, pattern=r"^\S(.*\S)?$")
]
"""A short display name: 1 to 20 characters, no leading or trailing space."""


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        allow_inf_nan=False,
        validate_default=True,
    )
