"""The scenario language reference and the JSON Schemas editors use, made from the models.

Nothing here is written by hand about a field: each model's docstring, each field's attribute
docstring, its type, bounds and default, and each model's examples come from the pydantic
models, so a field added to a model appears in the reference and the schemas when they are
regenerated (`make docs`), and a test fails while the committed copies differ.
"""

from __future__ import annotations

import inspect
import json
import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from wargame.schema.cards import Deck
from wargame.schema.scenario import Scenario

SCHEMA_FILES = {"scenario": "scenario.schema.json", "deck": "deck.schema.json"}
"""The file name of each schema `wargame schema` writes."""

SCHEMA_DIR = "docs/schema"
"""Where the repository keeps its copy, which the bundled files' editor header points at."""


def editor_header(schema_path: str) -> str:
    """The first line of a YAML file that tells editors (the YAML language server in VS Code,
    Neovim, Helix, JetBrains...) which schema to check and complete it with."""
    return f"# yaml-language-server: $schema={schema_path}"


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema (draft 2020-12) of a scenario file and of a deck file, by file name."""
    out: dict[str, dict[str, Any]] = {}
    for what, model in (("scenario", Scenario), ("deck", Deck)):
        body = model.model_json_schema()
        head = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"wargame {what} file",
        }
        out[SCHEMA_FILES[what]] = {**head, **{k: v for k, v in body.items() if k != "title"}}
    return out


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --------------------------------------------------------------------------- the reference


@dataclass
class _Section:
    title: str
    intro: str
    models: list[type[BaseModel]] = field(default_factory=list)


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """The type under any `Annotated`, and the metadata gathered on the way."""
    meta: list[Any] = []
    while get_origin(tp) is Annotated:
        inner, *more = get_args(tp)
        meta += more
        tp = inner
    return tp, meta


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _members(tp: Any) -> list[Any]:
    return [m for m in get_args(tp) if m is not type(None)]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _discriminated(tp: Any, meta: list[Any]) -> bool:
    return _is_union(tp) and any(getattr(m, "discriminator", None) for m in meta)


def _family(members: list[Any]) -> str:
    """A union's name from its members' common class-name ending: TiesEffect, TrackEffect →
    'Effects'."""
    names = [m.__name__ for m in members]
    end = 0
    while end < min(map(len, names)) and len({n[len(n) - end - 1] for n in names}) == 1:
        end += 1
    suffix = names[0][len(names[0]) - end :]
    while suffix and not suffix[0].isupper():
        suffix = suffix[1:]
    return (suffix or "Kind") + "s"


def _kind_of(model: type[BaseModel]) -> str | None:
    info = model.model_fields.get("kind")
    if info is None:
        return None
    args = get_args(_unwrap(info.annotation)[0])
    return str(args[0]) if len(args) == 1 else None


def _anchor(model: type[BaseModel], family: dict[type[BaseModel], str]) -> str:
    kind = _kind_of(model)
    if model in family and kind is not None:
        return f"{family[model][:-1].lower()}-{kind}".replace("_", "-")
    return model.__name__.lower()


class _Catalogue:
    """Every model reachable from the scenario and deck files, each in its section."""

    def __init__(self) -> None:
        self.family: dict[type[BaseModel], str] = {}
        self.unions: dict[str, list[type[BaseModel]]] = {}
        self.placed: dict[type[BaseModel], str] = {}
        self.order: list[type[BaseModel]] = []

    def walk(self, model: type[BaseModel], section: str) -> None:
        queue: list[tuple[type[BaseModel], str]] = [(model, section)]
        while queue:
            current, where = queue.pop(0)
            if current in self.placed:
                continue
            self.placed[current] = where
            self.order.append(current)
            for name, info in current.model_fields.items():
                for found, place in self._models_in(info.annotation, info.metadata):
                    if name == "decks" and current is Scenario:
                        continue  # inline decks are deck files' business
                    queue.append((found, place or where))

    def _models_in(self, tp: Any, meta: list[Any]) -> list[tuple[type[BaseModel], str | None]]:
        tp, more = _unwrap(tp)
        meta = [*meta, *more]
        if _discriminated(tp, meta):
            members = [_unwrap(m)[0] for m in _members(tp)]
            family = _family(members)
            self.unions.setdefault(family, [])
            out: list[tuple[type[BaseModel], str | None]] = []
            for member in members:
                self.family[member] = family
                if member not in self.unions[family]:
                    self.unions[family].append(member)
                out.append((member, family))
            return out
        if _is_model(tp):
            place = "Filters" if tp.__name__.endswith("Filter") else None
            return [(tp, place)]
        found: list[tuple[type[BaseModel], str | None]] = []
        for arg in get_args(tp):
            if arg is not type(None):
                found += self._models_in(arg, [])
        return found


def _words(tp: Any, meta: list[Any], cat: _Catalogue, plural: bool = False) -> str:
    """A field's type in a designer's words, with links to the models it takes."""
    tp, more = _unwrap(tp)
    meta = [*meta, *more]
    if _discriminated(tp, meta):
        members = [_unwrap(m)[0] for m in _members(tp)]
        family = cat.family.get(members[0], _family(members))
        noun = family[:-1].lower()
        if plural:
            return f"[{family.lower()}](#{family.lower()})"
        article = "an" if noun[0] in "aeiou" else "a"
        return f"{article} [{noun}](#{family.lower()})"
    if _is_union(tp):
        members = _members(tp)
        return " or ".join(_words(m, [], cat, plural) for m in members)
    origin = get_origin(tp)
    if origin is list:
        return "list of " + _words(get_args(tp)[0], [], cat, plural=True)
    if origin is dict:
        key, value = get_args(tp)
        return f"mapping of {_words(key, [], cat, True)} to {_words(value, [], cat, True)}"
    if origin is Literal:
        return " or ".join(f"`{a}`" for a in get_args(tp))
    if _is_model(tp):
        name = tp.__name__.lstrip("_")
        return f"[{name}](#{_anchor(tp, cat.family)})"
    if tp is str:
        if any(getattr(m, "pattern", None) == r"^[a-z0-9][a-z0-9_\-]*$" for m in meta):
            return "ids" if plural else "id"
        return "texts" if plural else "text"
    if tp is bool:
        return "`true` or `false`"
    if tp is int:
        return "whole numbers" if plural else "whole number"
    return getattr(tp, "__name__", str(tp))


def _limits(info: FieldInfo) -> str:
    """Bounds a value must keep: '0 to 100', 'at least 1', '1 to 80 characters'."""
    low = high = None
    short = long = None
    metadata = list(info.metadata)
    tp = info.annotation
    while get_origin(tp) is Annotated:
        tp, *more = get_args(tp)
        metadata += more
    for m in metadata:
        if isinstance(m, annotated_types.Ge):
            low = m.ge
        elif isinstance(m, annotated_types.Le):
            high = m.le
        elif isinstance(m, annotated_types.MinLen):
            short = m.min_length
        elif isinstance(m, annotated_types.MaxLen):
            long = m.max_length
        elif hasattr(m, "min_length") or hasattr(m, "max_length"):  # StringConstraints
            short = getattr(m, "min_length", None) or short
            long = getattr(m, "max_length", None) or long
    parts: list[str] = []
    if low is not None and high is not None:
        parts.append(f"{low} to {high}")
    elif low is not None:
        parts.append(f"at least {low}")
    elif high is not None:
        parts.append(f"at most {high}")
    inner = _unwrap(tp)[0]
    if _is_union(inner):  # `list[X] | None`: the bounds are the list's
        inner = next((m for m in _members(inner) if get_origin(m) is list), inner)
    unit = "items" if get_origin(inner) is list else "characters"
    if unit == "characters" and long is not None and long >= 64 and short is None:
        long = None  # the id length cap is not worth a designer's attention
    if short is not None and long is not None:
        parts.append(f"{short} to {long} {unit}")
    elif short is not None:
        parts.append(f"at least {short} {unit[:-1] if short == 1 else unit}")
    elif long is not None:
        parts.append(f"at most {long} {unit}")
    return "; ".join(parts)


def _flow(value: Any) -> str:
    """A value as a designer writes it in YAML's compact form."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000)
    text = text.strip()
    return text.removesuffix("\n...").strip()


def _example(value: Any) -> str:
    """One line when it reads well on one line, else a block with its small parts inline."""
    flow = _flow(value)
    if len(flow) <= 100:
        return flow
    return yaml.safe_dump(value, default_flow_style=None, sort_keys=False, width=96).rstrip()


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    value = info.default
    if value is None:
        return "—"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if value == "":
        return "empty"
    return f"`{_flow(value)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _doc(model: type[BaseModel]) -> str:
    doc = model.__doc__
    if not doc or doc == BaseModel.__doc__:
        return ""
    return inspect.cleandoc(doc)


def _examples(model: type[BaseModel]) -> list[Any]:
    extra = model.model_config.get("json_schema_extra")
    if isinstance(extra, dict):
        found = extra.get("examples")
        if isinstance(found, list):
            return found
    return []


def model_examples(model: type[BaseModel]) -> list[Any]:
    """The examples a model carries (`base.examples`), for the tests that validate them."""
    return _examples(model)


def _model_block(model: type[BaseModel], cat: _Catalogue) -> list[str]:
    kind = _kind_of(model) if model in cat.family else None
    anchor = _anchor(model, cat.family)
    title = f"`kind: {kind}`" if kind is not None else f"`{model.__name__.lstrip('_')}`"
    out = [f'<a id="{anchor}"></a>', "", f"### {title}", ""]
    doc = _doc(model)
    if doc:
        out += [doc, ""]
    rows = [(n, i) for n, i in model.model_fields.items() if not (kind and n == "kind")]
    if rows:
        out += ["| field | takes | default | meaning |", "| --- | --- | --- | --- |"]
        for name, info in rows:
            takes = _words(info.annotation, list(info.metadata), cat)
            limits = _limits(info)
            if limits:
                takes += f" ({limits})"
            meaning = info.description or ""
            out.append(
                f"| `{name}` | {_cell(takes)} | {_cell(_default(info))} | {_cell(meaning)} |"
            )
        out.append("")
    found = _examples(model)
    if found:
        out += ["```yaml", *(_example(e) for e in found), "```", ""]
    return out


_SECTIONS = {
    "Scenario file": (
        "`scenario.yaml`, at the top of the scenario folder: the world, the teams and the "
        "turn. Start from `wargame new DIR` rather than an empty file."
    ),
    "Deck files": (
        "Every other `.yaml` file in the scenario folder (and its sub-folders) is a deck: "
        "`deck`, `owner` and a list of `cards`."
    ),
    "Effects": (
        "What a card, a drift rule or an event does: a list under `on_play`, `on_success`, "
        "`on_failure` or `effects`, each item chosen by its `kind`. Effects that touch "
        "countries act on the card's chosen targets unless they name `countries` or a "
        "`where` filter."
    ),
    "Conditions": (
        "Tests on the state: a card's `requires`, a rule's `when`, a roll modifier's `when`. "
        "`at_least` and `at_most` are both inclusive; give one or both."
    ),
    "Metrics": (
        "Numbers read from the state, for scoring terms, income terms, roll modifiers and "
        "`kind: metric` conditions."
    ),
    "Filters": (
        "Which countries or institutions qualify: for a card's targets, an effect's `where`, "
        "a metric's `filter`. Every field given must hold (logical AND); leave a field out to "
        "not filter on it."
    ),
}


def reference_markdown() -> str:
    """The whole reference, in Markdown, deterministic."""
    cat = _Catalogue()
    cat.walk(Scenario, "Scenario file")
    cat.walk(Deck, "Deck files")
    titles = list(_SECTIONS) + [f for f in cat.unions if f not in _SECTIONS]
    sections = {t: _Section(t, _SECTIONS.get(t, "")) for t in titles}
    for model in cat.order:
        place = cat.placed[model]
        sections.setdefault(place, _Section(place, "")).models.append(model)
    scenario_header = editor_header(f"../../{SCHEMA_DIR}/{SCHEMA_FILES['scenario']}")
    deck_header = editor_header(f"../../../{SCHEMA_DIR}/{SCHEMA_FILES['deck']}")
    out = [
        "# Scenario language reference",
        "",
        "<!-- Generated from the models in wargame/schema/ by `make docs`; do not edit. -->",
        "",
        "Every field a scenario or deck file may hold, what it means, what it takes and an "
        "example. [WRITING_A_SCENARIO.md](WRITING_A_SCENARIO.md) builds a small scenario step "
        "by step; `wargame new DIR` writes one to start from; `wargame validate DIR` checks "
        "yours and names the file, line and field of every problem.",
        "",
        "Ids are lowercase letters, digits, `_` and `-` (`south_china_sea`). Numbers are whole "
        "numbers, written without quotes. Quote any text holding `: `, ` #`, or a comma inside "
        '`{...}` or `[...]`: `title: "Fund the SCO: RMB10 million"`.',
        "",
        "## Checking as you type",
        "",
        "`wargame schema -o DIR` writes the JSON Schema of a scenario file and of a deck file. "
        "With the first line below in a file, editors that use the YAML language server (VS "
        "Code's YAML extension, Neovim, Helix, JetBrains IDEs) check and complete it as it is "
        "typed; the path is relative to the file. `wargame new` writes the schemas and these "
        "lines for you. In this repository the schemas are in `docs/schema/`, so the first "
        "line of `decks/NAME/scenario.yaml` and of `decks/NAME/cards/*.yaml` are:",
        "",
        "```yaml",
        scenario_header,
        deck_header,
        "```",
        "",
        "## Contents",
        "",
    ]
    for title in titles:
        slug = title.lower().replace(" ", "-")
        out.append(f"- [{title}](#{slug})")
        if title in cat.unions:
            kinds = [
                f"[`{_kind_of(m)}`](#{_anchor(m, cat.family)})"
                for m in cat.unions[title]
                if _kind_of(m)
            ]
            out.append("  — " + ", ".join(kinds))
    out.append("")
    for title in titles:
        section = sections[title]
        out += [f"## {title}", ""]
        if section.intro:
            out += [section.intro, ""]
        for model in section.models:
            out += _model_block(model, cat)
    return "\n".join(out).rstrip() + "\n"
