"""A small JSON Schema (draft 2020-12) checker for the keywords pydantic writes.

No JSON Schema library is installed, and the point is to test what an editor will do with the
schema `wargame schema` writes: accept the bundled decks, reject what the loader rejects. A
keyword it does not know is an error, so the check cannot silently pass over a new one.
"""

from __future__ import annotations

import re
from typing import Any

_ANNOTATIONS = {"title", "description", "default", "examples", "discriminator", "$schema", "$defs"}


def errors(schema: dict[str, Any], value: Any, root: dict[str, Any] | None = None) -> list[str]:
    """Every place where `value` breaks `schema`, as 'path: reason'."""
    out: list[str] = []
    _check(schema, value, root or schema, "", out)
    return out


def _type_ok(kind: str, value: Any) -> bool:
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }[kind]


def _check(s: dict[str, Any], v: Any, root: dict[str, Any], at: str, out: list[str]) -> None:
    for key, want in s.items():
        if key in _ANNOTATIONS:
            continue
        if key == "$ref":
            assert want.startswith("#/$defs/"), want
            _check(root["$defs"][want.removeprefix("#/$defs/")], v, root, at, out)
        elif key == "type":
            kinds = want if isinstance(want, list) else [want]
            if not any(_type_ok(k, v) for k in kinds):
                out.append(f"{at}: not {want}")
                return
        elif key == "properties":
            if isinstance(v, dict):
                for name, sub in want.items():
                    if name in v:
                        _check(sub, v[name], root, f"{at}.{name}", out)
        elif key == "required":
            if isinstance(v, dict):
                out += [f"{at}: missing {name}" for name in want if name not in v]
        elif key == "additionalProperties":
            if isinstance(v, dict):
                known = set(s.get("properties", {}))
                patterns = list(s.get("patternProperties", {}))
                for name in v:
                    if name in known or any(re.search(p, name) for p in patterns):
                        continue
                    if want is False:
                        out.append(f"{at}: unknown {name}")
                    elif isinstance(want, dict):
                        _check(want, v[name], root, f"{at}.{name}", out)
        elif key == "patternProperties":
            if isinstance(v, dict):
                for pattern, sub in want.items():
                    for name in v:
                        if re.search(pattern, name):
                            _check(sub, v[name], root, f"{at}.{name}", out)
        elif key == "propertyNames":
            if isinstance(v, dict):
                for name in v:
                    _check(want, name, root, f"{at}[{name}]", out)
        elif key == "items":
            if isinstance(v, list):
                for i, item in enumerate(v):
                    _check(want, item, root, f"{at}[{i}]", out)
        elif key in ("anyOf", "oneOf"):
            fits = sum(1 for sub in want if not errors(sub, v, root))
            if fits == 0 or (key == "oneOf" and fits > 1):
                out.append(f"{at}: fits {fits} of the {key} alternatives")
        elif key == "const":
            if v != want or type(v) is not type(want):
                out.append(f"{at}: not {want!r}")
        elif key == "enum":
            if v not in want:
                out.append(f"{at}: not one of {want}")
        elif key == "pattern":
            if isinstance(v, str) and not re.search(want, v):
                out.append(f"{at}: does not match {want}")
        elif key in (
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ):
            if isinstance(v, str | list | dict):
                n = len(v)
                if (key.startswith("min") and n < want) or (key.startswith("max") and n > want):
                    out.append(f"{at}: {key} {want}, got {n}")
        elif key in ("minimum", "maximum"):
            if _type_ok("number", v):
                if (key == "minimum" and v < want) or (key == "maximum" and v > want):
                    out.append(f"{at}: {key} {want}, got {v}")
        else:
            raise AssertionError(f"the checker does not know the keyword {key!r}")
