"""Keep the valid parts of data that failed schema validation, so references can be checked.

A designer fixes a deck in one pass only when one run reports everything: a misspelt id in a
card must show up alongside the wrong type in the card next to it (or in the same card, or in
the scenario file), not after the schema errors are fixed. pydantic gives all or nothing, so
here we walk the raw data and the model types together and build the parts that are valid:
models by `model_construct` (no validators run: the result is never played, only read by the
reference checks), list items that fail dropped, a field that fails replaced by its default or
a neutral placeholder.

Dropping list items shifts indexes, so a `Remap` records, for each kept item, the index it had
in the file; the loader turns reference-check paths back into file paths with it. Reference
problems at or below a path the schema already reported are the loader's to drop: they only
repeat the same mistake, or come from a placeholder.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from wargame.schema.yaml_positions import KeyPath

Remap = dict[KeyPath, int]
"""Salvaged path (ending in a list index) -> the index the item has in the file."""

_FAIL: Any = object()
"""What `_value` returns for raw data that has no valid reading as the type."""
_MAX_DEPTH = 40
"""The data is bounded by the YAML reader (64 levels); placeholders recurse through required
model fields, and this stops a model that (indirectly) requires itself."""


@dataclass
class Salvage:
    """The valid parts of one file's data, and where they came from."""

    remap: Remap = field(default_factory=dict)
    replaced: list[KeyPath] = field(default_factory=list)
    """Paths of values that were invalid (or required and missing) and were replaced by a
    default or a placeholder."""

    def model(self, model: type[BaseModel], raw: object) -> Any:
        """`raw` as `model`, valid parts kept; None when `raw` is not even a mapping."""
        value = self._model(model, raw, (), 0)
        return None if value is _FAIL else value

    def translate(self, path: KeyPath) -> KeyPath:
        """A path in the salvaged data -> the same place in the file."""
        out: list[str | int] = []
        here: KeyPath = ()
        for step in path:
            here = (*here, step)
            out.append(self.remap.get(here, step))
        return tuple(out)

    # ------------------------------------------------------------------ the walk

    def _model(self, model: type[BaseModel], raw: object, path: KeyPath, depth: int) -> Any:
        if not isinstance(raw, dict) or depth > _MAX_DEPTH:
            return _FAIL
        try:
            return model.model_validate(raw)
        except (ValidationError, RecursionError):
            pass
        values: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            value = _FAIL
            if name in raw:
                value = self._value(info.annotation, raw[name], (*path, name), depth + 1)
            if value is _FAIL:
                if name in raw or info.is_required():
                    self.replaced.append((*path, name))
                if not info.is_required():
                    value = info.get_default(call_default_factory=True)
                else:
                    value = self._placeholder(info.annotation, (*path, name), depth + 1)
            values[name] = value
        return model.model_construct(**values)

    def _value(self, tp: Any, raw: object, path: KeyPath, depth: int) -> Any:
        while get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return self._model(tp, raw, path, depth)
        if origin is list:
            if not isinstance(raw, list):
                return _FAIL
            kept: list[Any] = []
            for i, item in enumerate(raw):
                # Paths below are in salvaged coordinates: the index the item will have.
                value = self._value(get_args(tp)[0], item, (*path, len(kept)), depth + 1)
                if value is not _FAIL:
                    if len(kept) != i:
                        self.remap[(*path, len(kept))] = i
                    kept.append(value)
            return kept
        if origin is dict:
            if not isinstance(raw, dict):
                return _FAIL
            out: dict[Any, Any] = {}
            for key, item in raw.items():
                value = self._value(get_args(tp)[1], item, (*path, key), depth + 1)
                if value is not _FAIL and isinstance(key, str):
                    out[key] = value
            return out
        if origin in (Union, types.UnionType):
            return self._union(get_args(tp), raw, path, depth)
        if origin is Literal:
            return raw if raw in get_args(tp) and not isinstance(raw, bool) else _FAIL
        if tp is type(None):
            return None if raw is None else _FAIL
        if tp is bool:
            return raw if isinstance(raw, bool) else _FAIL
        if tp is int:
            return raw if isinstance(raw, int) and not isinstance(raw, bool) else _FAIL
        if tp is float:
            ok = isinstance(raw, int | float) and not isinstance(raw, bool)
            return float(raw) if ok else _FAIL  # type: ignore[arg-type]
        if tp is str:
            return raw if isinstance(raw, str) else _FAIL
        return _FAIL

    def _union(self, members: tuple[Any, ...], raw: object, path: KeyPath, depth: int) -> Any:
        # A tagged union (effects, conditions, metrics): the member is named by `kind`, and a
        # mapping with no known `kind` is none of them (not the first one tried).
        tagged = False
        for member in members:
            while get_origin(member) is Annotated:
                member = get_args(member)[0]
            if isinstance(member, type) and issubclass(member, BaseModel):
                kind = member.model_fields.get("kind")
                if kind is None:
                    continue
                tagged = True
                if isinstance(raw, dict) and raw.get("kind") in get_args(kind.annotation):
                    return self._model(member, raw, path, depth)
        if tagged and isinstance(raw, dict):
            return _FAIL
        for member in members:
            value = self._value(member, raw, path, depth)
            if value is not _FAIL:
                return value
        return _FAIL

    def _placeholder(self, tp: Any, path: KeyPath, depth: int) -> Any:
        """A neutral value of type `tp`: never checked against, only read."""
        while get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
        origin = get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            value = self._model(tp, {}, path, depth)
            return None if value is _FAIL else value
        if origin is list:
            return []
        if origin is dict:
            return {}
        if origin in (Union, types.UnionType):
            members = get_args(tp)
            if type(None) in members:
                return None
            return self._placeholder(members[0], path, depth)
        if origin is Literal:
            return get_args(tp)[0]
        return {bool: False, int: 0, float: 0.0, str: ""}.get(tp)
