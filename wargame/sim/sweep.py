"""A balance sweep's spec: which scenario, which bots, how many games, and which numbers to vary.

The spec is YAML, read with the scenario's own position-recording reader so that every mistake
names the spec's file, line and field, and checked with pydantic at the edge (`SweepSpec`).

A *path* names one number of the scenario (its cards included), in the scenario's own words:

- segments separated by dots; in a mapping a segment is a field name (`income`, `base`), in a
  list of things with ids it is the id (`roles.us`), and `[n]` picks the n-th item (from 0) of
  a list without ids (`roles.us.income.terms[0].per`);
- a path may start with a card's id instead of a top-level field (`cn-fund-sco.cost`), since
  cards are what designers tune most;
- it ends on a number the scenario has (or a field it leaves unset, such as `income.max`).

So `roles.us.income.base`, `cn-fund-sco.roll.base`, `countries.amber.ties.north.trade` and
`turns.count` are all paths. Each variant is the scenario with its values put in, validated and
compiled like any scenario: a path that names nothing, or a value the schema refuses, is an error
at the spec's line.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from wargame.errors import Problem, WargameError
from wargame.schema.loader import schema_problems
from wargame.schema.references import check_references
from wargame.schema.scenario import Scenario
from wargame.schema.yaml_positions import (
    KeyPath,
    ParsedFile,
    SourceMap,
    format_path,
    read_yaml_file,
)
from wargame.tables import Tables, compile_scenario

MAX_VARIANTS = 1000
"""A grid grows as the product of its lists; past this it is almost surely a mistake."""

Number = Annotated[int | float, Field(union_mode="left_to_right")]
Change = tuple[KeyPath, str, int | float]
"""Where in the spec a value is, the scenario path it goes to, and the value."""
PathText = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class NamedVariant(_Spec):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^\S(.*\S)?$")]
    set: dict[PathText, Number] = Field(min_length=1)
    """Path → the value this variant gives it."""


class SweepSpec(_Spec):
    """What `wargame sweep SPEC.yaml` reads."""

    scenario: str = Field(min_length=1)
    """The scenario folder (or file), relative to the spec file's folder."""
    bot: str = "greedy"
    """The bot of every seat not named in `seats` (as `simulate --bot`)."""
    seats: str = ""
    """Per-role seats, as `simulate --seats`: `ru=planner,sw=absent`."""
    planner: str = ""
    """Budget of every planner seat, as `simulate --planner`: `worlds=1`."""
    games: int = Field(ge=1, le=1_000_000)
    """Games per variant."""
    seed: int = Field(ge=0, le=2**63 - 1)
    vary: dict[PathText, list[Number]] = {}
    """Path → values: every combination is a variant (the full grid)."""
    variants: list[NamedVariant] = []
    """Or: named variants, each setting some paths."""


class SpecError(WargameError):
    """Everything wrong with a spec, each problem at its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    values: dict[str, int | float | None]
    """Path → value in this variant (for the baseline: the scenario's own values)."""
    scenario: int
    """Index into `Sweep.tables`: variants equal to each other share one."""


@dataclass(slots=True)
class Sweep:
    """A checked spec: the variants (the baseline first) and the distinct scenarios to play."""

    spec: SweepSpec
    file: str
    scenario_path: Path
    paths: list[str]
    variants: list[Variant] = field(default_factory=list)
    tables: list[Tables] = field(default_factory=list)


def read_spec(path: Path, shown: str | None = None) -> tuple[SweepSpec, ParsedFile]:
    """The spec, or `SpecError` with every problem at its line."""
    parsed = read_yaml_file(path, shown or str(path))
    if parsed.problems or not parsed.ok:
        raise SpecError(parsed.problems or [parsed.source.problem((), "empty spec")])
    if not isinstance(parsed.data, dict):
        raise SpecError([parsed.source.problem((), "a sweep spec is a mapping of fields")])
    try:
        spec = SweepSpec.model_validate(parsed.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise SpecError(schema_problems(SweepSpec, parsed, errors, {})) from None
    where: list[Problem] = []
    if not spec.vary and not spec.variants:
        where.append(parsed.source.problem((), "nothing to vary: give `vary` or `variants`"))
    if spec.vary and spec.variants:
        where.append(
            parsed.source.problem(("variants",), "give `vary` (a grid) or `variants`, not both")
        )
    for key, values in spec.vary.items():
        if not values:
            where.append(parsed.source.problem(("vary", key), "give at least one value"))
    names = [v.name for v in spec.variants]
    for i, name in enumerate(names):
        if name in names[:i] or name == "baseline":
            why = "is the unchanged scenario's name" if name == "baseline" else "is used twice"
            where.append(parsed.source.problem(("variants", i, "name"), f"{name!r} {why}"))
    if where:
        raise SpecError(where)
    return spec, parsed


def build(path: Path, scenario: Scenario, spec: SweepSpec, parsed: ParsedFile) -> Sweep:
    """Every variant of the spec, each validated and compiled like any scenario."""
    src = parsed.source
    base = scenario.model_dump(mode="json", by_alias=True, round_trip=True)
    sweep = Sweep(spec, src.file, path, [])
    problems: list[Problem] = []
    # (spec key path of the value, scenario path, value) for each change of each variant
    plans: list[tuple[str, list[Change]]] = []
    if spec.vary:
        sweep.paths = list(spec.vary)
        lists = [list(enumerate(v)) for v in spec.vary.values()]
        count = 1
        for v in spec.vary.values():
            count *= len(v)
        if count > MAX_VARIANTS:
            raise SpecError(
                [src.problem(("vary",), f"the grid has {count} variants (at most {MAX_VARIANTS})")]
            )
        for combo in itertools.product(*lists):
            changes: list[Change] = [
                (("vary", p, j), p, value) for p, (j, value) in zip(sweep.paths, combo, strict=True)
            ]
            plans.append((" ".join(f"{p}={show_value(v)}" for _, p, v in changes), changes))
    else:
        for k, named in enumerate(spec.variants):
            named_changes: list[Change] = [
                (("variants", k, "set", p), p, v) for p, v in named.set.items()
            ]
            plans.append((named.name, named_changes))
            sweep.paths += [p for p in named.set if p not in sweep.paths]
    # Every path first: a path that names nothing is one problem, not one per variant.
    for p in sweep.paths:
        spec_key: KeyPath = ("vary", p)
        if not spec.vary:
            k = next(i for i, nv in enumerate(spec.variants) if p in nv.set)
            spec_key = ("variants", k, "set", p)
        try:
            resolve(base, p)
        except PathError as exc:
            problems.append(src.problem(spec_key, str(exc)))
    if problems:
        raise SpecError(problems)
    baseline_values = {p: _get(base, p) for p in sweep.paths}
    digests: dict[str, int] = {}
    sweep.tables.append(compile_scenario(scenario))
    digests[_digest(base)] = 0
    sweep.variants.append(Variant("baseline", baseline_values, 0))
    for name, changes in plans:
        data = copy.deepcopy(base)
        for _, p, value in changes:
            _put(data, p, value)
        refused = _check_variant(data, changes, src)
        if refused:
            # A refused value is one problem, however many variants of the grid it is in.
            problems += [p for p in refused if p not in problems]
            continue
        d = _digest(data)
        if d not in digests:
            digests[d] = len(sweep.tables)
            sweep.tables.append(compile_scenario(Scenario.model_validate(data)))
        values = dict(baseline_values)
        values.update({p: v for _, p, v in changes})
        sweep.variants.append(Variant(name, values, digests[d]))
    if problems:
        raise SpecError(problems)
    return sweep


class PathError(ValueError):
    pass


_SEGMENT = re.compile(r"^([^\[\]]*)((?:\[\d+\])*)$")


def resolve(data: dict[str, Any], path: str) -> tuple[Any, str | int, KeyPath]:
    """The container and key that `path` names in the scenario's data, and the key path the
    scenario's own error messages use for it; or `PathError`."""
    steps: list[str | int] = []
    for seg in path.split("."):
        m = _SEGMENT.match(seg)
        if m is None or (not m.group(1) and not m.group(2)):
            raise PathError(
                f"{path!r} is not a path (e.g. `cards-id.cost`, `roles.us.income.base`)"
            )
        if m.group(1):
            steps.append(m.group(1))
        steps += [int(n) for n in re.findall(r"\[(\d+)\]", m.group(2))]
    cur: Any = data
    parent: Any = None
    key: str | int = ""
    walked: list[str] = []
    concrete: list[str | int] = []
    for n, step in enumerate(steps):
        if n == 0 and isinstance(step, str) and step not in data:
            found = _card(data, step)
            if found is None:
                near = _near(step, _top(data))
                raise PathError(f"{step!r} is neither a field of the scenario nor a card id{near}")
            parent, key, cur = None, step, found[2]
            concrete += ["decks", found[0], "cards", found[1]]
            walked.append(step)
            continue
        where = ".".join(walked) or "the scenario"
        if isinstance(step, int):
            if not isinstance(cur, list):
                raise PathError(f"[{step}]: {where} is not a list")
            if step >= len(cur):
                raise PathError(f"{where} has {len(cur)} items; [{step}] names nothing")
            parent, key, cur = cur, step, cur[step]
            concrete.append(step)
            walked[-1:] = [f"{walked[-1] if walked else ''}[{step}]"]
        elif isinstance(cur, dict):
            if step not in cur:
                raise PathError(f"{where} has no field {step!r}{_near(step, cur)}")
            parent, key, cur = cur, step, cur[step]
            concrete.append(step)
            walked.append(step)
        elif isinstance(cur, list):
            ids = [item.get("id") for item in cur if isinstance(item, dict)]
            if step not in ids:
                if not any(ids):
                    raise PathError(f"{where} is a list without ids: pick an item with [n]")
                raise PathError(f"{where} has no item with id {step!r}{_near(step, ids)}")
            i = ids.index(step)
            parent, key, cur = cur, i, cur[i]
            concrete.append(i)
            walked.append(step)
        elif cur is None:
            raise PathError(f"{where} is not set in the scenario, so {step!r} names nothing")
        else:
            raise PathError(f"{where} is a value, not a group: {step!r} names nothing")
    if parent is None:
        raise PathError(f"{path!r} names a whole card, not a number in it (e.g. `{path}.cost`)")
    if isinstance(cur, bool) or not (cur is None or isinstance(cur, int | float)):
        kind = (
            "text"
            if isinstance(cur, str)
            else "true/false"
            if isinstance(cur, bool)
            else ("a list" if isinstance(cur, list) else "a group of fields")
        )
        raise PathError(f"{path} is {kind}, not a number")
    return parent, key, tuple(concrete)


def _card(data: dict[str, Any], card_id: str) -> tuple[int, int, dict[str, Any]] | None:
    for d, deck in enumerate(data.get("decks", [])):
        for c, card in enumerate(deck.get("cards", [])):
            if card.get("id") == card_id:
                return d, c, card
    return None


def _top(data: dict[str, Any]) -> list[str]:
    return [*data, *(c["id"] for d in data.get("decks", []) for c in d.get("cards", []))]


def _near(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _get(data: dict[str, Any], path: str) -> Any:
    parent, key, _ = resolve(data, path)
    return parent[key]


def _put(data: dict[str, Any], path: str, value: int | float) -> None:
    parent, key, _ = resolve(data, path)
    parent[key] = value


def show_value(value: object) -> str:
    """A value as a grid variant's name writes it (`path=value`)."""
    return json.dumps(value)


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _check_variant(data: dict[str, Any], changes: list[Change], src: SourceMap) -> list[Problem]:
    """The scenario's own checks on one variant, each problem at the spec line of the value
    that caused it (the variant's first value when the checks cannot tell)."""
    here = ParsedFile(SourceMap("scenario"), data)
    found: list[Problem] = []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        found = schema_problems(Scenario, here, exc.errors(include_url=False), {})
    else:
        found = check_references(scenario, complete=True, shortened=True)
        if not found:
            try:
                compile_scenario(scenario)
            except WargameError as exc:
                found = [Problem("scenario", 1, 1, "", str(exc))]
    out: list[Problem] = []
    for problem in found:
        spec_key, path, value = changes[0]
        for key, p, v in changes:
            if problem.path and _same_place(problem.path, p, data):
                spec_key, path, value = key, p, v
                break
        detail = f"{problem.path}: {problem.message}" if problem.path else problem.message
        out.append(src.problem(spec_key, f"{path} = {show_value(value)} is refused: {detail}"))
    return out


def _same_place(problem_path: str, path: str, data: dict[str, Any]) -> bool:
    """Whether the scenario's problem at `problem_path` is about the number `path` names."""
    try:
        where = format_path(resolve(data, path)[2])
    except PathError:
        return False
    return problem_path == where or problem_path.startswith((where + ".", where + "["))
