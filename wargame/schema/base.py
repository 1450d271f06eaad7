"""Shared pydantic configuration for the scenario and card language.

Strict and closed: a designer's typo (an unknown key, `"3"` for 3, NaN) is an error, never
silently coerced or dropped. Models are frozen because a Scenario is validated once and then
shared by every state, bot and replay.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from wargame.schema.limits import SHORT_MAX, TRACK_SHORT_MAX

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
"""Identifiers are lowercase slugs so they read the same in YAML, journals and the CLI."""

Percent = Annotated[int, Field(ge=-100, le=100)]


ShortName = Annotated[
    str, StringConstraints(min_length=1, max_length=SHORT_MAX, pattern=r"^\S(.*\S)?$")
]
"""A short display name: 1 to 20 characters, no leading or trailing space."""

TrackShort = Annotated[
    str, StringConstraints(min_length=1, max_length=TRACK_SHORT_MAX, pattern=r"^\S(.*\S)?$")
]
"""A track's short display name: 1 to 18 characters, no leading or trailing space."""


def examples(*items: dict[str, Any]) -> ConfigDict:
    """A model's examples: the reference (`wargame.schema.reference`) shows them as YAML and the
    JSON Schema carries them, so an editor offers them as snippets. A test validates each one."""
    return ConfigDict(json_schema_extra={"examples": list(items)})


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        allow_inf_nan=False,
        validate_default=True,
        use_attribute_docstrings=True,
    )


BASIS_KINDS: dict[str, str] = {
    "source": "from the source",
    "record": "from the public record",
    "design": "a design choice",
}
"""What each `basis` kind means, in the words the game shows a student."""


class Basis(Model):
    """Where a rule, objective or card comes from, so players can tell in the game what the
    source says from what the designer chose: `source` (the analysis the scenario is built on),
    `record` (the public record, e.g. a date or a membership the source does not give) or
    `design` (a modelling choice). A `record` or `design` basis needs a one-line `note`."""

    model_config = examples({"kind": "design", "note": "the rate of decay is a modelling choice"})

    kind: Literal["source", "record", "design"]
    """`source`, `record` or `design`."""
    note: str = Field(default="", max_length=240)
    """What the rule rests on, in one line (required for `record` and `design`)."""

    @model_validator(mode="after")
    def _note_unless_source(self) -> Basis:
        if self.kind != "source" and not self.note.strip():
            raise ValueError(
                f"a `{self.kind}` basis needs a one-line `note` saying what it rests on"
            )
        return self

    def describe(self) -> str:
        """'A design choice: note' / 'From the public record: note' / 'From the source'."""
        head = BASIS_KINDS[self.kind]
        head = head[0].upper() + head[1:]
        return f"{head}: {self.note}" if self.note else head
