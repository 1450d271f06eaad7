r"""Which characters a deck may hold, and how to show the ones it may not.

Text from a deck reaches terminals, reports and screens. Control characters can rewrite a
terminal (`\e[2J`, a title change, a bell), bidirectional overrides make text display in
another order than it is stored ("Trojan Source"), and characters YAML reads as line breaks
where editors do not (NEL, U+2028, U+2029, a lone carriage return) make every later line
number wrong. The YAML reader refuses them with exact positions (`scan_text`, and escapes in
quoted text); every message quoting a file goes through `printable`.
"""

from __future__ import annotations

import re

from wargame.errors import Problem

UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
"""Characters refused in every text value: C0 controls except tab and line feed, DEL, C1
controls, the line/paragraph separators, bidirectional embeddings, overrides and isolates
(the "Trojan Source" set), lone surrogates and non-characters. They can rewrite a terminal or
make text read differently from what it holds. Left-to-right and right-to-left *marks*
(U+200E, U+200F, U+061C) stay allowed: right-to-left text needs them and they reorder nothing
beyond a neutral character."""
_UNSAFE_RAW = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]|\r(?!\n)"
)
"""Characters refused anywhere in a file, comments included. Besides `UNSAFE_TEXT` (minus
tab, line feed and a carriage return that ends a line), a lone carriage return: YAML counts it,
NEL (U+0085) and U+2028/U+2029 as line breaks where editors do not, so every line number after
one would be wrong."""
_UNSAFE_NO_CR = re.compile(_UNSAFE_RAW.pattern.removesuffix("|\r(?!\n)"))
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_CHAR_NAMES = {
    0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
    0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line",
    0x9B: "control sequence introducer", 0x2028: "line separator",
    0x2029: "paragraph separator", 0x202A: "left-to-right embedding",
    0x202B: "right-to-left embedding", 0x202C: "pop directional formatting",
    0x202D: "left-to-right override", 0x202E: "right-to-left override",
    0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate",
    0x2068: "first strong isolate", 0x2069: "pop directional isolate",
}  # fmt: skip


def unescape(match: re.Match[str]) -> str:
    text = match.group()
    if text[1] in "xuU" and len(text) > 2:
        try:
            return chr(int(text[2:], 16))
        except (ValueError, OverflowError):
            return ""
    return _SIMPLE_ESCAPES.get(text[1], "")


def char_problem(char: str) -> str:
    code = ord(char)
    name = _CHAR_NAMES.get(code)
    label = f"U+{code:04X} ({name})" if name else f"U+{code:04X}"
    if _BIDI.match(char):
        why = "bidirectional controls make text display in another order than it is stored"
    elif char in "\x85\u2028\u2029":
        why = "YAML reads it as a line break where editors do not; use an ordinary line break"
    elif 0xD800 <= code <= 0xDFFF or code >= 0xFFFE:
        why = "it is not a character"
    else:
        why = "control characters can rewrite a terminal; remove it"
    return f"character {label} is not allowed: {why}"


def scan_text(text: str, file: str, limit: int = 100) -> tuple[list[Problem], bool]:
    """Every character refused anywhere in a file, each at its exact line and column, and
    whether parsing must stop (anything but a bidi control breaks YAML or its line count)."""
    problems: list[Problem] = []
    fatal = False
    line, line_start, counted = 1, 0, 0
    # Without a carriage return, a plain character class does (much cheaper than the full set).
    for match in (_UNSAFE_RAW if "\r" in text else _UNSAFE_NO_CR).finditer(text):
        at = match.start()
        breaks = text.count("\n", counted, at)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", counted, at) + 1
        counted = at
        char = match.group()
        if char == "\r":
            message = (
                "a carriage return (U+000D) without a line feed is not allowed: "
                "YAML reads it as a line break where editors may not; save with ordinary line ends"
            )
        else:
            message = char_problem(char)
        fatal = fatal or not _BIDI.match(char)
        problems.append(Problem(file, line, at - line_start + 1, "", message))
        if len(problems) >= limit:
            break
    return problems, fatal


_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control, bidi and line-break character shown as an escape (`\x1b`),
    for messages that quote what a file holds: a problem report must not act on a terminal."""
    if not _PRINTABLE.search(text):
        return text
    return _PRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_SHOWN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SHOWN_CR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def literal(text: str, *, keep_cr: bool = False) -> str:
    """`text` as a terminal must show it: line feeds and tabs kept (and carriage returns with
    `keep_cr`, for a progress line), every other control, bidi or line-break character shown
    as an escape (`\x1b[2J` shows as the six characters `\x1b[2J`). The second wall behind the
    deck loader's refusals, for text from a save made elsewhere."""
    pattern = _SHOWN_CR if keep_cr else _SHOWN
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
