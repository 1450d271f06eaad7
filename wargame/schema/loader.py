"""Load a scenario (a folder with `scenario.yaml` and deck files, or one file) into a Scenario.

Everything a designer can get wrong is collected and reported in one run, each problem with its
file, line, column and key path: YAML syntax and limits (`yaml_positions`), schema errors from
pydantic translated into plain words (here), and references between ids (`references`). We keep
going across files so one broken deck does not hide the mistakes in the others, and the valid
parts of invalid files are salvaged (`salvage`) so their references are checked in the same run.
Which files are read is `deck_files`' business; every message is made printable (`safe_text`).
"""

from __future__ import annotations

import difflib
import os
import re
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from wargame.errors import DeckError, Problem
from wargame.schema.cards import Deck, Target
from wargame.schema.deck_files import SCENARIO_FILE, deck_files, no_scenario, not_a_file_here
from wargame.schema.language import AllCondition, CountryFilter, InstitutionFilter, PowerFilter
from wargame.schema.references import check_references
from wargame.schema.safe_text import printable
from wargame.schema.salvage import Salvage
from wargame.schema.scenario import Scenario
from wargame.schema.source_text import check_quotes, read_source
from wargame.schema.yaml_positions import (
    KeyPath,
    ParsedFile,
    SourceMap,
    display_name,
    read_yaml_file,
)

MAX_PROBLEMS_PER_FILE = 100
"""Past this, more messages bury the first ones (and cost time): the file is likely not a deck
at all, or one early mistake cascades."""
_M = TypeVar("_M", bound=BaseModel)


@dataclass
class LoadReport:
    """What one scenario path gave: the scenario only when there is no problem at all, every
    problem otherwise, and a summary of what was read either way (for the CLI)."""

    scenario: Scenario | None
    problems: list[Problem]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[Any]:
        """`scenario, problems = load_scenario_report(path)` reads as the pair it mostly is."""
        yield self.scenario
        yield self.problems


def load_scenario(path: str | Path) -> Scenario:
    """The checked entry point: a valid Scenario with its decks, or `DeckError` listing every
    problem found."""
    report = load_scenario_report(path)
    if report.scenario is None:
        raise DeckError(report.problems or [Problem(str(path), 1, 1, "", "not loaded")])
    return report.scenario


def load_scenario_report(path: str | Path) -> LoadReport:
    """Load and check one scenario path without raising for anything the input gets wrong.

    A folder loads `scenario.yaml` and every other `*.yaml` below it (sorted, hidden folders
    skipped) as deck files; a single file loads just that scenario, with no decks. File names in
    problems are relative to `path` as the caller spelled it."""
    typed = os.fspath(path)
    root = Path(typed)
    problems: list[Problem] = []
    unshown: dict[str, int] = {}
    try:
        is_dir = root.is_dir()
        exists = is_dir or root.exists()
    except OSError as exc:
        return LoadReport(None, [Problem(typed, 1, 1, "", f"cannot read: {exc.strerror}")])
    if not exists:
        return LoadReport(None, [Problem(typed, 1, 1, "", "no such file or folder")])
    deck_paths: list[Path] = []
    if is_dir:
        scenario_path = root / SCENARIO_FILE
        if not os.path.lexists(scenario_path):
            return LoadReport(None, [Problem(typed, 1, 1, "", no_scenario(root))])
        deck_paths = deck_files(root, typed, problems)
        why_not = not_a_file_here(scenario_path, os.path.realpath(root), "scenario")
    else:
        scenario_path = root
        why_not = None

    shown = display_name(typed, root, scenario_path)
    if why_not is not None:
        scenario_file = ParsedFile(SourceMap(shown), None, [Problem(shown, 1, 1, "", why_not)])
    else:
        scenario_file = read_yaml_file(scenario_path, shown)
    problems += scenario_file.problems
    scenario: Scenario | None = None
    if scenario_file.ok and not is_dir and _looks_like_deck(scenario_file.data):
        message = "this is a deck file; validate the scenario folder that holds it"
        problems.append(scenario_file.source.problem((), message))
    elif scenario_file.ok:
        scenario = _validate(Scenario, scenario_file, problems, unshown)
    # When the scenario is invalid, its valid parts still serve to check the decks' references
    # in this same run (`salvage`); the report's scenario stays None.
    scenario_salvage: Salvage | None = None
    if scenario is None and scenario_file.ok and not _looks_like_deck(scenario_file.data):
        scenario_salvage = Salvage()
        scenario = scenario_salvage.model(Scenario, scenario_file.data)
        if any(len(p) == 1 and p[0] in _WORLD for p in scenario_salvage.replaced):
            scenario = None  # no world to check against: every reference would be "unknown"

    # Each deck with the file (and the key path prefix) it came from: inline decks first.
    decks: list[tuple[Deck, SourceMap, KeyPath, Salvage | None]] = [
        (deck, scenario_file.source, ("decks", i), scenario_salvage)
        for i, deck in enumerate(scenario.decks if scenario else [])
    ]
    complete = scenario_salvage is None
    deck_summaries: list[dict[str, Any]] = []
    for deck_path in deck_paths:
        parsed = read_yaml_file(deck_path, display_name(typed, root, deck_path))
        problems += parsed.problems
        deck_summaries.append(_deck_summary(parsed))
        deck = _validate(Deck, parsed, problems, unshown) if parsed.ok else None
        salvage = None
        if deck is None:
            complete = False
            salvage = Salvage()
            deck = salvage.model(Deck, parsed.data)
        if deck is not None:
            decks.append((deck, parsed.source, (), salvage))

    read = [scenario_file.source.file, *(d["file"] for d in deck_summaries)]
    summary = _summary(scenario_file.data, deck_summaries)
    summary["loaded"] = scenario_file.ok and isinstance(scenario_file.data, dict)
    summary["file"] = scenario_file.source.file
    if scenario is None:
        return LoadReport(None, _in_file_order(problems, read, unshown), summary)
    scenario = scenario.model_copy(update={"decks": [deck for deck, *_ in decks]})
    origins = [(source, prefix, salvage) for _, source, prefix, salvage in decks]
    locate = _locator(scenario_file.source, scenario_salvage, origins)
    source = read_source(root) if is_dir else None
    if source is not None:
        problems += check_quotes(scenario, source, locate)
    if complete:
        problems += check_references(scenario, locate, complete=True)
        return LoadReport(
            None if problems else scenario, _in_file_order(problems, read, unshown), summary
        )
    problems += _new_references(scenario, locate, problems)
    return LoadReport(None, _in_file_order(problems, read, unshown), summary)


_WORLD = {"powers", "channels", "regions", "countries", "institutions", "tracks", "roles", "status"}
"""Top-level scenario fields that define the ids everything else refers to."""


def _new_references(
    scenario: Scenario, locate: Callable[[KeyPath, str], Problem], known: list[Problem]
) -> list[Problem]:
    """Reference problems of salvaged data, less those at or below a place already reported:
    they would repeat the same mistake, or come from a placeholder standing in for it."""
    found = check_references(scenario, locate, complete=False)
    reported: dict[str, set[str]] = {}
    for problem in known:
        if problem.path:
            reported.setdefault(problem.file, set()).add(problem.path)

    def is_new(problem: Problem) -> bool:
        path = problem.path
        for place in reported.get(problem.file, ()):
            if path == place or path.startswith((place + ".", place + "[")):
                return False
        return True

    return [problem for problem in found if is_new(problem)]


def _in_file_order(
    problems: list[Problem], read: list[str], unshown: dict[str, int]
) -> list[Problem]:
    """Files in the order they were read, each top to bottom: how a designer fixes them. Past
    `MAX_PROBLEMS_PER_FILE` a file gets one line saying how many more there are."""
    rank = {file: i for i, file in enumerate(read)}
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        rank.setdefault(problem.file, len(rank))
        by_file.setdefault(problem.file, []).append(problem)
    out: list[Problem] = []
    for file in sorted(by_file, key=rank.__getitem__):
        by_file[file] = [_printable(p) for p in by_file[file]]
        found = sorted(by_file[file], key=lambda p: (p.line, p.column))
        out += found[:MAX_PROBLEMS_PER_FILE]
        more = len(found[MAX_PROBLEMS_PER_FILE:]) + unshown.get(file, 0)
        if more:
            last = out[-1]
            message = f"... and {more} more problems in this file, not shown"
            out.append(Problem(file, last.line, last.column, "", message))
    return out


def _printable(problem: Problem) -> Problem:
    """A problem that quotes a file's key or text shows control and bidi characters as
    escapes: printing a report must never act on the terminal that shows it."""
    file, path, message = (printable(x) for x in (problem.file, problem.path, problem.message))
    if (file, path, message) == (problem.file, problem.path, problem.message):
        return problem
    return Problem(file, problem.line, problem.column, path, message)


def _looks_like_deck(data: object) -> bool:
    return isinstance(data, dict) and "cards" in data and "roles" not in data


def _locator(
    scenario_source: SourceMap,
    scenario_salvage: Salvage | None,
    origins: list[tuple[SourceMap, KeyPath, Salvage | None]],
) -> Callable[[KeyPath, str], Problem]:
    """Turns a key path in the assembled Scenario into a Problem in the file it came from:
    `decks[i]...` lives in deck file i (or inline in the scenario), the rest in the scenario.
    Salvaged parts dropped invalid list items: their paths are translated back first."""

    def locate(path: KeyPath, message: str) -> Problem:
        if len(path) >= 2 and path[0] == "decks" and isinstance(path[1], int):
            index = path[1]
            if 0 <= index < len(origins):
                source, prefix, salvage = origins[index]
                if not prefix:  # a deck file
                    rest = path[2:] if salvage is None else salvage.translate(path[2:])
                    return source.problem(rest, message)
        if scenario_salvage is not None:
            path = scenario_salvage.translate(path)
        return scenario_source.problem(path, message)

    return locate


def _text(value: object) -> str | None:
    """Text from a file as a summary may show it: read before any check, so made printable."""
    return printable(value) if isinstance(value, str) else None


def _deck_summary(parsed: ParsedFile) -> dict[str, Any]:
    data = parsed.data if isinstance(parsed.data, dict) else {}
    cards = data.get("cards")
    return {
        "file": parsed.source.file,
        "deck": _text(data.get("deck")),
        "owner": _text(data.get("owner")),
        "cards": len(cards) if isinstance(cards, list) else 0,
        "loaded": parsed.ok and isinstance(parsed.data, dict),
    }


def _summary(data: object, decks: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of what was read, from the raw data so a partly broken scenario still shows."""
    data = data if isinstance(data, dict) else {}

    def count(key: str) -> int:
        value = data.get(key)
        return len(value) if isinstance(value, list) else 0

    raw_decks = data.get("decks")
    inline = raw_decks if isinstance(raw_decks, list) else []
    inline_summaries = [
        {
            "file": None,
            "deck": _text(d.get("deck")),
            "owner": _text(d.get("owner")),
            "cards": len(d["cards"]),
            "loaded": True,
        }
        for d in inline
        if isinstance(d, dict) and isinstance(d.get("cards"), list)
    ]
    all_decks = inline_summaries + decks
    return {
        "scenario": _text(data.get("id")),
        "title": _text(data.get("title")),
        "roles": count("roles"),
        "countries": count("countries"),
        "institutions": count("institutions"),
        "tracks": count("tracks"),
        "decks": all_decks,
        "cards": sum(d["cards"] for d in all_decks),
    }


# --------------------------------------------------------------------------- schema errors


def _validate(
    model: type[_M], parsed: ParsedFile, problems: list[Problem], unshown: dict[str, int]
) -> _M | None:
    try:
        return model.model_validate(parsed.data)
    except ValidationError as exc:
        problems += schema_problems(model, parsed, exc.errors(include_url=False), unshown)
        return None
    except RecursionError:
        problems.append(parsed.source.problem((), "the file is nested too deeply to validate"))
        return None


def schema_problems(
    model: type[BaseModel],
    parsed: ParsedFile,
    errors: Iterable[ErrorDetails],
    unshown: dict[str, int],
) -> list[Problem]:
    """pydantic errors as Problems: the location mapped back to the YAML key path (skipping
    the steps pydantic inserts for unions), the message in a designer's words. Only the first
    `MAX_PROBLEMS_PER_FILE` are mapped; how many more there are goes to `unshown`."""
    errors = list(errors)
    located = [_Located.from_error(model, parsed.data, e) for e in errors[:MAX_PROBLEMS_PER_FILE]]
    out: list[Problem] = []
    seen: set[tuple[KeyPath, str]] = set()
    for item in _merge_union_alternatives(located):
        if any(item.path[:k] in parsed.blocked for k in range(len(item.path) + 1)):
            continue
        if (item.path, item.message) in seen:
            continue
        seen.add((item.path, item.message))
        out.append(parsed.source.problem(item.path, item.message))
    if len(errors) > MAX_PROBLEMS_PER_FILE:
        unshown[parsed.source.file] = len(errors) - MAX_PROBLEMS_PER_FILE
    return out


@dataclass
class _Located:
    path: KeyPath
    message: str
    error: ErrorDetails
    alt_at: int | None = None
    """Index in `loc` of a smart-union member label, when the error is one alternative's."""
    deeper: bool = False
    """The alternative got past the type check (its errors are inside the value)."""

    @classmethod
    def from_error(cls, model: type[BaseModel], data: Any, err: ErrorDetails) -> _Located:
        walk = _Walk(model, data)
        walk.follow(err["loc"])
        item = cls(tuple(walk.path), _message(err, walk), err, walk.alt_at)
        if walk.alt_at is not None:
            item.deeper = len(err["loc"]) > walk.alt_at + 1
        return item


def _merge_union_alternatives(located: list[_Located]) -> list[_Located]:
    """A value that fits no member of a plain union gets one error per member. When some
    member got past the type check, its errors are the real ones; otherwise say once what
    would have been accepted ("expected text or a list, got the number 5")."""
    groups: dict[tuple[Any, ...], list[_Located]] = {}
    out: list[_Located] = []
    for item in located:
        if item.alt_at is None:
            out.append(item)
        else:
            groups.setdefault(tuple(item.error["loc"][: item.alt_at]), []).append(item)
    for items in groups.values():
        deeper = [i for i in items if i.deeper]
        if deeper:
            out += deeper
            continue
        wanted = list(dict.fromkeys(_expected(i.error) for i in items))
        first = items[0]
        first.message = f"expected {' or '.join(wanted)}, got {_show(first.error['input'])}"
        out.append(first)
    return out


_NONE = type(None)


class _Walk:
    """Follows a pydantic error location through the model's types and the data together, so
    each step is known to be a key, a list index, a discriminator tag or a union label."""

    def __init__(self, model: type[BaseModel], data: Any) -> None:
        self.tp: Any = model
        self.disc: Any = None
        self.value: Any = data
        self.parent_value: Any = None
        self.path: list[str | int] = []
        self.model: type[BaseModel] | None = None
        self.union: Any = None
        self.alt_at: int | None = None
        self.key_error = False

    def follow(self, loc: tuple[str | int, ...]) -> None:
        i = 0
        while i < len(loc):
            step = loc[i]
            self._unwrap()
            if self._is_union():
                members = [m for m in get_args(self.tp) if m is not _NONE]
                if self.disc is not None:
                    self.union = self.tp
                    self.tp = _member_for_tag(members, step)
                    self.disc = None
                    i += 1
                    continue
                if len(members) == 1:
                    self.tp = members[0]
                    continue
                labelled = _member_for_label(members, step)
                if labelled is not None:
                    self.alt_at = i
                    self.tp = labelled
                    i += 1
                    continue
                self.tp = self._member_for_data(members)
                continue
            origin = get_origin(self.tp)
            if isinstance(self.tp, type) and issubclass(self.tp, BaseModel):
                self.model = self.tp
                info = self.tp.model_fields.get(step) if isinstance(step, str) else None
                self._descend(step)
                self.tp, self.disc = (info.annotation, info.discriminator) if info else (None, None)
            elif origin is list:
                self._descend(step)
                self.tp = get_args(self.tp)[0]
            elif origin is dict:
                if step == "[key]":
                    self.key_error = True
                else:
                    self._descend(step)
                    self.tp = get_args(self.tp)[1]
            else:
                self.path += [s for s in loc[i:] if s != "[key]"]
                self.key_error = "[key]" in loc[i:]
                return
            i += 1
        self._unwrap()
        if self._is_union() and self.disc is not None:
            self.union = self.tp

    def _descend(self, step: str | int) -> None:
        self.path.append(step)
        self.parent_value = self.value
        if isinstance(self.value, dict) and isinstance(step, str):
            self.value = self.value.get(step)
        elif isinstance(self.value, list) and isinstance(step, int) and step < len(self.value):
            self.value = self.value[step]
        else:
            self.value = None

    def _unwrap(self) -> None:
        while get_origin(self.tp) is Annotated:
            inner, *meta = get_args(self.tp)
            for m in meta:
                if getattr(m, "discriminator", None) is not None:
                    self.disc = m.discriminator
            self.tp = inner

    def _is_union(self) -> bool:
        return get_origin(self.tp) in (Union, types.UnionType)

    def _member_for_data(self, members: list[Any]) -> Any:
        # `Target.filter` is validated by the target's `kind`, not by trying each member.
        if self.model is Target and isinstance(self.parent_value, dict):
            kind = self.parent_value.get("kind")
            if kind == "power":
                return PowerFilter
            return InstitutionFilter if kind == "institution" else CountryFilter
        return members[0]


def _member_for_tag(members: list[Any], tag: str | int) -> Any:
    for member in members:
        while get_origin(member) is Annotated:
            member = get_args(member)[0]
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if kind is not None and tag in get_args(kind.annotation):
                return member
    return None


def _label_kind(tp: Any) -> str:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    origin = get_origin(tp)
    if origin is list:
        return "list"
    if origin is dict:
        return "dict"
    if origin is Literal:
        return "literal"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.__name__
    return getattr(tp, "__name__", str(tp))


def _member_for_label(members: list[Any], step: str | int) -> Any:
    """pydantic names each member of a plain union in the location: `constrained-str`,
    `list[...]`, `literal['all']`, a model's class name."""
    if not isinstance(step, str):
        return None
    label = step.removeprefix("constrained-")
    label = re.sub(r"\[.*", "", label)
    for member in members:
        if _label_kind(member) == label:
            return member
    return None


def _union_tags(union: Any) -> list[str]:
    tags: list[str] = []
    for member in get_args(union):
        while get_origin(member) is Annotated:
            member = get_args(member)[0]
        if (
            isinstance(member, type)
            and issubclass(member, BaseModel)
            and "kind" in member.model_fields
        ):
            tags += [str(a) for a in get_args(member.model_fields["kind"].annotation)]
    return tags


# --------------------------------------------------------------------------- messages

_ID_HELP = "use lowercase letters, digits, `_` and `-`, starting with a letter or digit"


def _show(value: object) -> str:
    """How a designer would recognise the value they wrote."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'the text "{text}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _expected(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "literal_error":
        return str(err.get("ctx", {}).get("expected", "one of the allowed words"))
    return {
        "string_type": "text",
        "int_type": "a whole number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
    }.get(kind, err["msg"].removeprefix("Input should be ").lower())


def _suggest(word: object, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


_SYNONYMS = {
    "year": "date",
    "effects": "on_play",
    "effect": "on_play",
    "condition": "when",
    "conditions": "requires",
    "require": "requires",
    "description": "text",
    "desc": "description",
    "chance": "base",
    "probability": "base",
    "value": "delta",
    "amount": "delta",
    "type": "kind",
}
"""Words designers reach for that the language spells otherwise; used only when the word is
not a field where it stands and its counterpart is."""


def _shape_hint(kind: str, value: object, walk: _Walk) -> str:
    """What to write instead, for the shapes designers most often get wrong."""
    last = walk.path[-1] if walk.path else ""
    if kind == "list_type" and isinstance(value, dict):
        return " (a list even of one item: start it with `- `, or wrap it in [...])"
    if last == "source" and isinstance(value, str):
        return (
            ' (write `source: {quote: "..."}` for a passage of the source text, or '
            "`source: {citation: {title: ..., author: ..., date: ...}}` for a document)"
        )
    fields = walk.model.model_fields if walk.model is not None else {}
    if isinstance(value, list) and f"{last}s" in fields:
        # `alliance: [...]` for several: the list has a plural field of its own.
        return f" (for several, write them under `{last}s:`)"
    info = fields.get(str(last))
    if isinstance(value, list) and info is not None and _takes_a_condition(info.annotation):
        return " (one condition; for several, `{kind: all, of: [...]}` or `{kind: any, of: [...]}`)"
    return ""


def _takes_a_condition(tp: Any) -> bool:
    """The type is one condition (possibly optional), not a list of them."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        return any(_takes_a_condition(m) for m in get_args(tp))
    return tp is AllCondition


def _cut_at_comma(key: object, value: object, mapping: object) -> str | None:
    """`{id: x, name: Trade (goods, money)}` reads as `name: Trade (goods` and a key
    `money)` with no value: say so, and show the value quoted. (A key that is close to a field
    name is a misspelt field instead, and the caller says that.)"""
    if value is not None or not isinstance(mapping, dict) or not isinstance(key, str):
        return None
    keys = list(mapping)
    at = keys.index(key) if key in keys else 0
    if at == 0:
        return None
    before = keys[at - 1]
    head = mapping[before]
    if not isinstance(head, str) or not isinstance(before, str):
        return None
    whole = f"{head}, {key}".replace('"', '\\"')
    return (
        f"`{key}` is the end of the `{before}` value, cut at its comma: inside {{...}} or "
        f'[...] a comma ends a value, so quote it: {before}: "{whole}"'
    )


def _message(err: ErrorDetails, walk: _Walk) -> str:
    kind, ctx, value = err["type"], err.get("ctx", {}), err["input"]
    last = walk.path[-1] if walk.path else ""
    if kind == "missing":
        return f"missing required field `{last}`"
    if kind == "extra_forbidden":
        fields = list(walk.model.model_fields) if walk.model else []
        cut = None if _suggest(last, fields) else _cut_at_comma(last, value, walk.parent_value)
        if cut:
            return cut
        hint = _suggest(last, fields)
        if not hint and _SYNONYMS.get(str(last)) in fields:
            hint = f" (did you mean `{_SYNONYMS[str(last)]}`?)"
        if not hint and fields:
            hint = "; allowed fields: " + ", ".join(fields)
        return f"unknown field `{last}`{hint}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = _union_tags(walk.union) if walk.union is not None else []
        allowed = "; allowed kinds: " + ", ".join(tags) if tags else ""
        if kind == "union_tag_not_found":
            return f"missing `kind`{allowed}"
        tag = ctx.get("tag", "")
        return f"unknown kind `{tag}`{_suggest(tag, tags)}{allowed}"
    if kind == "int_type":
        message = f"expected a whole number, got {_show(value)}"
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            message += " (remove the quotes)"
        return message
    if kind == "string_type":
        message = f"expected text, got {_show(value)}"
        if isinstance(value, bool) or value is None:
            message += " (YAML reads yes/no/on/off/true/false/null unquoted: quote the text)"
        elif isinstance(value, int | float):
            message += " (quote it if you mean text)"
        return message
    if not walk.path and kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected `key: value` lines at the top of the file, got {_show(value)}"
    if kind in ("bool_type", "list_type", "dict_type", "model_type", "model_attributes_type"):
        return f"expected {_expected(err)}, got {_show(value)}{_shape_hint(kind, value, walk)}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", str(expected))
        return f"`{value}` is not allowed here{_suggest(value, choices)}; expected {expected}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^(https?"):
            return f"`{value}` is not a web address: start it with `https://` or `http://`"
        if pattern == r"^\S(.*\S)?$":
            return f"`{value}` starts or ends with a space: remove it"
        if pattern.startswith("^[a-z][a-z -]"):
            return f"`{value}` is not allowed here: use lowercase words, e.g. `union`"
        what = "key" if walk.key_error else "id"
        return f"`{value}` is not a valid {what} ({_ID_HELP})"
    if kind == "string_too_short":
        if value == "":
            return "must not be empty"
        return f"text is too short (at least {ctx.get('min_length')} characters)"
    if kind == "string_too_long":
        return f"text is too long ({len(str(value))} characters; at most {ctx.get('max_length')})"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"needs at least {n} item{'' if n == 1 else 's'}"
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"allows at most {n} item{'' if n == 1 else 's'}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "less_than_equal": ("at most", "le"),
        "greater_than": ("more than", "gt"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}, got {value}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return err["msg"]
