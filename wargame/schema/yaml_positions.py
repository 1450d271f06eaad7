"""Read one YAML file into plain Python data plus the line and column of every key path.

PyYAML's `safe_load` forgets where values came from, keeps the last of two duplicate keys,
accepts any tag it knows and expands aliases without bound. A designer needs the opposite: every
mistake named by file, line and key path, duplicates refused, only plain data, and a hostile or
accidental file (billion laughs, `[[[[...`, 50 MB) refused fast. So we drive the parser's event
stream ourselves (libyaml's `CSafeLoader` when present, the pure `SafeLoader` otherwise — both
give marks): an iterative composer that bounds depth and counts the *expanded* size of the node
graph as it goes (an alias costs the size of its anchor, memoised on the node), then a bounded
walk that builds dicts, lists and scalars while recording each key path's position.

No silent coercion: what YAML 1.1 reads as a number or boolean a designer would not mean
(`010` is octal 8, `1:30` is 90, `no` is false) is refused with a hint, and characters that could
act on a terminal or reorder text are refused before parsing (`safe_text`). Lines and columns
count characters (code points), never bytes, whichever parser found the problem.

This module knows YAML, not the scenario: the schema and reference checks use its `SourceMap`.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from wargame.errors import Problem
from wargame.schema.safe_text import ESCAPE, UNSAFE_TEXT, char_problem, scan_text, unescape

MAX_FILE_BYTES = 5 * 1024 * 1024
"""No deck comes near this; a bigger file is a mistake (or an attack) and is refused unread."""
MAX_DEPTH = 64
"""The deepest real nesting (conditions inside conditions) is far below this."""
MAX_NODES = 100_000
"""Bound on the values a file expands to, aliases counted at every use. Aliases are cheap to
parse but each use is validated again, so the bound must hold on the expanded graph. The
largest real file (a scenario) holds under 3,000; reading 100,000 takes well under a second."""

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml is about 7x faster; both report the same marks."""

KeyPath = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_YAML + t for t in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP, _MERGE = _YAML + "seq", _YAML + "map", _YAML + "merge"
_AS_TEXT = {_STR, _YAML + "timestamp", _YAML + "value"}
"""Implicitly resolved dates and `=` stay text: the schema has no dates, and a `date` object
where text is expected would only produce a baffling error."""
_NOT_TEXT = {_INT, _FLOAT, _BOOL, _NULL}
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)")
"""The only number forms a deck may use: what a designer means and YAML 1.1 and 1.2 agree on.
YAML 1.1 (PyYAML, libyaml) also reads `010` as octal 8, `0x0A`, `0b11`, `1_0` as 10 and
`1:30` as 90 (base 60); those are refused rather than read as something else."""
_PLAIN_BOOL = {"true", "True", "TRUE", "false", "False", "FALSE"}
"""YAML 1.1 also reads yes/no/on/off as booleans: almost always a designer's text (`title: no`)
or an unquoted key (`on:`), so they are refused with a hint rather than read as true/false."""
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_CONSTRUCT = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _NULL: _CONSTRUCTOR.construct_yaml_null,
}


class Pos(NamedTuple):
    """A 1-based line and column, as editors count them. A tuple: one is made per value."""

    line: int
    column: int


def format_path(path: KeyPath) -> str:
    """`('cards', 3, 'roll', 'base')` -> `cards[3].roll.base`, the form designers read."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


@dataclass
class SourceMap:
    """Where each key path of one file starts: the key for a mapping entry (its line is the one
    a designer looks for), the item for a list entry."""

    file: str
    positions: dict[KeyPath, Pos] = field(default_factory=dict)

    def locate(self, path: KeyPath) -> Pos:
        """The position of `path`, or of its nearest ancestor when the path is not in the file
        (a missing field, a default value)."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:end]))
            if pos is not None:
                return pos
        return Pos(1, 1)

    def problem(self, path: KeyPath, message: str) -> Problem:
        pos = self.locate(path)
        return Problem(self.file, pos.line, pos.column, format_path(path), message)


@dataclass
class ParsedFile:
    """One file's data (None when it could not be read or parsed) and what went wrong."""

    source: SourceMap
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    blocked: set[KeyPath] = field(default_factory=set)
    """Paths already reported at the YAML level (a refused tag, NaN, a bad key): schema errors
    at or below them would only repeat the same mistake less clearly."""

    @property
    def ok(self) -> bool:
        """Parsed into data a schema can look at (possibly with YAML-level problems)."""
        return self.data is not None


class _Refused(Exception):
    """Stops reading a file: a syntax error or a limit; nothing after it can be trusted."""

    def __init__(self, pos: Pos, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


class _Node:
    """A composed YAML node. Aliases reuse the anchored node object, so `size` (the expanded
    count of values below and including it) is computed once and shared."""

    __slots__ = ("error", "error_pos", "kind", "pos", "raw", "size", "tag", "value")

    def __init__(self, kind: str, pos: Pos, tag: str, value: Any = None, raw: str = "") -> None:
        self.kind = kind
        self.pos = pos
        self.tag = tag
        self.value = value
        self.raw = raw
        self.size = 1
        self.error: str | None = None
        self.error_pos: Pos | None = None
        """Where inside the value the error is, when that is not where the value starts."""


def _pos(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def _tag_refused(tag: str) -> str:
    return (
        f"tag `{_show_tag(tag)}` is not allowed: decks are plain data "
        "(text, numbers, true/false, lists and mappings)"
    )


class _Composer:
    """Builds the node graph from parser events without recursion, refusing at the first event
    that breaks a limit, so hostile input costs milliseconds."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.anchors: dict[str, _Node] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0
        self.unique = 0

    def compose(self, loader: Any) -> _Node | None:
        # One pass per event, dispatched on the exact event class: this loop is the hot path
        # for big files, so no helper calls beyond what each event needs.
        root: _Node | None = None
        documents = 0
        stack: list[tuple[_Node, list[_Node], str | None]] = []
        while loader.check_event():
            event = loader.get_event()
            cls = type(event)
            node: _Node
            if cls is ScalarEvent:
                self.expanded += 1
                self.unique += 1
                if self.expanded > MAX_NODES:
                    self._too_many(event)
                node = self._scalar(event)
                if event.anchor:
                    self.anchors[event.anchor] = node
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise _Refused(
                        _pos(event.start_mark), f"nesting is deeper than {MAX_DEPTH} levels"
                    )
                self.expanded += 1
                self.unique += 1
                if self.expanded > MAX_NODES:
                    self._too_many(event)
                is_map = cls is MappingStartEvent
                node = _Node("map" if is_map else "seq", _pos(event.start_mark), _MAP)
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    node.error = _tag_refused(event.tag)
                if event.anchor:
                    self.open_anchors.add(event.anchor)
                stack.append((node, [], event.anchor))
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                node, children, anchor = stack.pop()
                node.size = 1 + sum([child.size for child in children])
                if node.kind == "map":
                    node.value = list(zip(children[0::2], children[1::2], strict=True))
                else:
                    node.value = children
                if anchor:
                    self.open_anchors.discard(anchor)
                    self.anchors[anchor] = node
            elif cls is AliasEvent:
                node = self._alias(event)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Refused(
                        _pos(event.start_mark),
                        "a file holds one YAML document; a second one starts here (`---`)",
                    )
                continue
            else:  # stream and document ends
                continue
            if stack:
                stack[-1][1].append(node)
            else:
                root = node
        return root

    def _alias(self, event: Any) -> _Node:
        name = event.anchor
        if name in self.open_anchors:
            raise _Refused(
                _pos(event.start_mark),
                f"alias `*{name}` refers to a value that contains it (endless loop)",
            )
        target = self.anchors.get(name)
        if target is None:
            raise _Refused(_pos(event.start_mark), f"alias `*{name}` has no anchor `&{name}`")
        self.expanded += target.size
        if self.expanded > MAX_NODES:
            self._too_many(event)
        return target

    def _too_many(self, event: Any) -> None:
        how = " once aliases are expanded" if self.unique < self.expanded // 2 else ""
        raise _Refused(
            _pos(event.start_mark),
            f"the file holds more than {MAX_NODES:,} values{how}; refused as too large",
        )

    def _scalar(self, event: Any) -> _Node:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        node = _Node("scalar", _pos(event.start_mark), tag, event.value, event.value)
        if event.style == '"' and UNSAFE_TEXT.search(event.value):
            # Only double-quoted text has escapes (`\e`, `\u202E`); raw characters were
            # refused by `scan_text` before parsing began.
            self._escaped_unsafe(node, event)
            if node.error is not None:
                return node
        if tag in _AS_TEXT or tag == _MERGE:
            return node
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            node.error = _tag_refused(tag)
            return node
        try:
            node.value = construct(ScalarNode(tag, event.value))
        except (IndexError, KeyError, TypeError, ValueError):  # how PyYAML rejects a literal
            node.error = f"`{event.value}` is not a valid {_show_tag(tag)}"
            node.value = event.value
            return node
        if isinstance(node.value, float) and not float("-inf") < node.value < float("inf"):
            node.error = (
                f"`{event.value}` is not a number a deck may use (NaN and infinity are refused)"
            )
        elif tag == _INT or tag == _FLOAT:
            raw = event.value
            if not (_PLAIN_INT.fullmatch(raw) or _PLAIN_FLOAT.fullmatch(raw)):
                node.error = _odd_number(raw, node.value)
        elif tag == _BOOL and event.value not in _PLAIN_BOOL:
            word = str(node.value).lower()
            node.error = (
                f"`{event.value}` is read by YAML 1.1 as the boolean {word}; "
                f'quote it ("{event.value}") if you mean the text, or write {word}'
            )
        return node

    def _escaped_unsafe(self, node: _Node, event: Any) -> None:
        """Refuse text whose escapes make a control or bidi character, located at the escape."""
        start, end = event.start_mark.index, event.end_mark.index
        source = self.text[start:end]
        for match in ESCAPE.finditer(source):
            char = unescape(match)
            if char and UNSAFE_TEXT.match(char):
                before = source[: match.start()]
                lines = before.count("\n")
                column = (
                    match.start() - before.rfind("\n") if lines else node.pos.column + match.start()
                )
                node.error_pos = Pos(node.pos.line + lines, column)
                node.error = f"{char_problem(char)} (written as `{match.group()}`)"
                return
        # Not from an escape: the character is in the file itself and `scan_text` has
        # reported it at its place already; saying it again here would only repeat it.


def _odd_number(raw: str, value: object) -> str:
    """Say how YAML 1.1 read a number the designer likely meant otherwise, and what to write."""
    digits = raw.lstrip("+-").replace("_", "")
    sign = "-" if raw.startswith("-") else ""
    if ":" in raw:
        how = "the base-60 number"
        plain = str(value)
    elif digits[:2] in ("0x", "0X"):
        how, plain = "the hexadecimal number", str(value)
    elif digits[:2] in ("0b", "0B"):
        how, plain = "the binary number", str(value)
    elif "_" in raw:
        how, plain = "the number", str(value)
    elif isinstance(value, int) and digits[:1] == "0" and digits.isdigit():
        how = "the octal number"
        plain = sign + (digits.lstrip("0") or "0")
    else:
        how, plain = "the number", str(value)
    return (
        f"`{raw}` is read by YAML 1.1 as {how} {value}; "
        f'write {plain}, or quote it ("{raw}") if you mean the text'
    )


class _Builder:
    """Turns the node graph into plain data, recording positions and YAML-level problems.

    Recursion is bounded by MAX_DEPTH and the work by MAX_NODES, both already checked."""

    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        self.positions = parsed.source.positions
        self.reported: set[int] = set()

    def build(self, node: _Node, path: KeyPath, pos: Pos) -> Any:
        self.positions[path] = pos
        if node.error is not None:
            self.parsed.blocked.add(path)
            if id(node) not in self.reported:
                self.reported.add(id(node))
                at = node.error_pos or node.pos
                self.parsed.problems.append(
                    Problem(
                        self.parsed.source.file, at.line, at.column, format_path(path), node.error
                    )
                )
        if node.kind == "scalar":
            return node.value
        if node.kind == "seq":
            return [self.build(item, (*path, i), item.pos) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        self._build_map(node, path, result)
        return result

    def _build_map(self, node: _Node, path: KeyPath, result: dict[str, Any]) -> None:
        merges = [value for key, value in node.value if key.kind == "scalar" and key.tag == _MERGE]
        # `<<` merges: later sources lose to earlier ones and explicit keys beat them all.
        for source in reversed(merges):
            items = source.value if source.kind == "seq" else [source]
            for item in reversed(items):
                if item.kind != "map":
                    self._report(path, item, "`<<` merges only mappings (or a list of them)")
                    continue
                self._build_map(item, path, result)
        seen: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            if key_node.kind == "scalar" and key_node.tag == _MERGE:
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in seen:
                first = seen[key]
                self._report(
                    (*path, key),
                    key_node,
                    f"duplicate key `{key}` (first given at line {first.line}); "
                    "YAML would silently keep only the last one",
                )
                continue
            seen[key] = key_node.pos
            result[key] = self.build(value_node, (*path, key), key_node.pos)

    def _key(self, key_node: _Node, path: KeyPath) -> str | None:
        if key_node.kind != "scalar":
            self._report(path, key_node, "a key must be plain text, not a list or a mapping")
            return None
        if isinstance(key_node.value, str) and key_node.error is None:
            return key_node.value
        key = key_node.raw
        self.positions[(*path, key)] = key_node.pos
        self.parsed.blocked.add((*path, key))
        if key_node.tag in _NOT_TEXT and not isinstance(key_node.value, str):
            reason = (
                f"key `{key}` is read by YAML as {_describe_scalar(key_node.value)}; "
                f'quote it ("{key}") if you mean the text'
            )
        else:
            reason = key_node.error or f"key `{key}` is not text"
        at = key_node.error_pos or key_node.pos
        self.parsed.problems.append(
            Problem(self.parsed.source.file, at.line, at.column, format_path((*path, key)), reason)
        )
        return key

    def _report(self, path: KeyPath, node: _Node, message: str) -> None:
        self.parsed.problems.append(
            Problem(
                self.parsed.source.file, node.pos.line, node.pos.column, format_path(path), message
            )
        )


def _describe_scalar(value: object) -> str:
    if value is None:
        return "null (nothing)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    return f"the number {value}"


def parse_yaml(text: str, file: str) -> ParsedFile:
    """Parse one YAML document from text; never raises for bad input."""
    parsed = ParsedFile(SourceMap(file))
    refused, fatal = scan_text(text, file)
    parsed.problems += refused
    if fatal:
        return parsed
    composer = _Composer(text)
    try:
        loader = _Loader(text)  # the pure-Python reader checks every character here
    except yaml.reader.ReaderError as exc:
        parsed.problems.append(_reader_problem(file, text, exc, in_bytes=False))
        return parsed
    # The cyclic GC would rescan the growing, acyclic node graph over and over: half the time
    # of a big file. Nothing built here can form a cycle (recursive aliases are refused).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _parse(parsed, composer, loader, text)
    finally:
        loader.dispose()
        if gc_was_on:
            gc.enable()


def _parse(parsed: ParsedFile, composer: _Composer, loader: Any, text: str) -> ParsedFile:
    file = parsed.source.file
    try:
        root = composer.compose(loader)
    except _Refused as exc:
        parsed.problems.append(Problem(file, exc.pos.line, exc.pos.column, "", exc.message))
        return parsed
    except yaml.MarkedYAMLError as exc:
        parsed.problems.append(_syntax_problem(file, exc, text))
        return parsed
    except yaml.reader.ReaderError as exc:
        in_bytes = not isinstance(loader, yaml.reader.Reader)
        parsed.problems.append(_reader_problem(file, text, exc, in_bytes=in_bytes))
        return parsed
    except yaml.YAMLError as exc:  # any other parser complaint, without a mark
        parsed.problems.append(Problem(file, 1, 1, "", f"YAML error: {exc}"))
        return parsed
    if root is None:
        parsed.problems.append(Problem(file, 1, 1, "", "the file is empty"))
        return parsed
    parsed.data = _Builder(parsed).build(root, (), root.pos)
    if parsed.data is None:
        pos = root.pos
        parsed.problems.append(Problem(file, pos.line, pos.column, "", "the file is empty"))
    return parsed


def _within(pos: Pos, text: str) -> Pos:
    """The position itself, or the end of the text when it lies past the last line: the
    scanner ends a file that lacks a final line break on a line of its own, which no editor
    shows."""
    lines = text.count("\n") + 1
    if pos.line <= lines:
        return pos
    return Pos(lines, len(text) - (text.rfind("\n") + 1) + 1)


def _syntax_problem(file: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    pos = _within(_pos(mark), text) if mark is not None else Pos(1, 1)
    problem = exc.problem or "invalid YAML"
    if "nesting depth" in problem or "nesting depth" in (exc.context or ""):
        return Problem(file, pos.line, pos.column, "", f"nesting is deeper than {MAX_DEPTH} levels")
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else None
    colon = _colon_in_value(text, pos, problem, opened)
    if colon is not None:
        return Problem(file, pos.line, pos.column, "", colon)
    lines = text.split("\n")
    here = lines[pos.line - 1] if 1 <= pos.line <= len(lines) else ""
    if here[pos.column - 1 : pos.column] == "\t" or (
        "cannot start any token" in problem and "\t" in here[: pos.column]
    ):
        return Problem(
            file, pos.line, pos.column, "", "a tab: YAML indents with spaces only; use spaces"
        )
    if problem.startswith(("did not find expected key", "expected <block end>")):
        since = f" (the block began at line {opened})" if opened and opened != pos.line else ""
        return Problem(
            file,
            pos.line,
            pos.column,
            "",
            f"YAML syntax: this line is not indented like the lines above it{since}: line "
            "up each `- ` item and each key with the ones before it, using spaces",
        )
    message = f"YAML syntax: {problem}"
    if exc.context:
        context = exc.context
        if exc.context_mark is not None and exc.context_mark.line != getattr(mark, "line", None):
            context += f" started at line {exc.context_mark.line + 1}"
        message += f" ({context})"
    return Problem(file, pos.line, pos.column, "", message)


def _colon_in_value(text: str, pos: Pos, problem: str, opened: int | None) -> str | None:
    """A value holding `: ` (a title such as `Fund the SCO: RMB10 million`) reads as a second
    key, which YAML refuses with words a designer cannot act on. Say what to do, with the
    value quoted, when the line shows which value it is. `opened` is the line where the flow
    collection being parsed began."""
    # The pure-Python parser says "expected ',' or '}', but got ':'", libyaml "did not find
    # expected ',' or '}'": either way, at a colon.
    in_flow = problem.startswith(("expected ',' or", "did not find expected ',' or"))
    if not (problem.startswith("mapping values are not allowed") or in_flow):
        return None
    lines = text.split("\n")
    if not 1 <= pos.line <= len(lines):
        return None
    line = lines[pos.line - 1]
    at = min(max(pos.column - 1, 0), len(line))
    # In a flow collection, only when it opened on this line: a `[` never closed makes the
    # next line's key look like a colon in a value.
    if in_flow and (line[at : at + 1] != ":" or opened != pos.line):
        return None
    if in_flow:
        start = max(line.rfind(c, 0, at) for c in ",{[") + 1
        ends = [i for i in (line.find(c, at) for c in ",}]") if i != -1]
        segment = line[start : min(ends) if ends else len(line)]
    else:
        segment = re.sub(r"^\s*(-\s+)*", "", line)
    match = re.match(r"\s*([^\s:{}\[\],#]+):\s+(.*?)\s*$", segment)
    advice = 'a value that holds ": " (a colon and a space) must be quoted'
    if match is None:
        return advice
    key, value = match.groups()
    value = value.replace('"', '\\"')
    return f'{advice}: {key}: "{value}"'


def _reader_problem(
    file: str, text: str, exc: yaml.reader.ReaderError, *, in_bytes: bool
) -> Problem:
    """libyaml reports a reader error at a byte offset into the UTF-8 text, the pure-Python
    reader at a character offset: both become the character's line and column."""
    offset = max(0, int(exc.position))
    if in_bytes:
        offset = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    offset = min(offset, len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character
    code = char if isinstance(char, int) else ord(char[:1] or "\0")
    return Problem(file, line, column, "", f"character U+{code:04X} is not allowed in YAML")


def read_yaml_file(path: Path, file: str) -> ParsedFile:
    """Read and parse a file, reporting (never raising) anything the file system or the bytes
    get wrong. `file` is the name to show, as the user typed it."""
    parsed = ParsedFile(SourceMap(file))

    def refuse(message: str, line: int = 1, column: int = 1) -> ParsedFile:
        parsed.problems.append(Problem(file, line, column, "", message))
        return parsed

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return refuse(f"{file_kind(info.st_mode)}, not a regular file")
        # Never blocks: a FIFO or device swapped in after the check above opens at once
        # (O_NONBLOCK) and is refused by the check on what was actually opened.
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_NOCTTY)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return refuse(f"{file_kind(info.st_mode)}, not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                return refuse(_too_big(info.st_size))
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return refuse(f"cannot read: {exc.strerror or exc}")
    if len(raw) > MAX_FILE_BYTES:
        return refuse(_too_big(len(raw)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as everywhere else: decode the line up to the bad byte.
        before = raw[line_start : exc.start].decode("utf-8-sig", "replace")
        return refuse("not UTF-8 text (is this a binary file?)", line, len(before) + 1)
    return parse_yaml(text, file)


_O_NONBLOCK: int = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY: int = getattr(os, "O_NOCTTY", 0)


def file_kind(mode: int) -> str:
    """What a file system entry is, in words a designer knows."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a link"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def _too_big(size: int) -> str:
    return (
        f"the file is too large ({size / 1024 / 1024:.1f} MB; "
        f"the limit is {MAX_FILE_BYTES // 1024 // 1024} MB)"
    )


def display_name(root_as_typed: str, root: Path, path: Path) -> str:
    """A file's name relative to the path the user typed, so problems read like their input."""
    if path == root:
        return root_as_typed
    return os.path.join(root_as_typed, os.path.relpath(path, root))
