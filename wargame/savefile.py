"""Reading a save's bytes safely: bounded, line by line, refusing what the journal never writes.

A save may come from another machine, a crashed session or a hostile hand. Everything here
runs before any record is trusted, in bounded time and memory, and every refusal names the
line: special files (a FIFO, a device) are refused from their `stat` without being opened
blocking; the file and each line have a size limit far above any real save; a line must be
UTF-8, JSON without NaN or Infinity, nested no deeper than any record, free of duplicate keys
and lone surrogates, and byte for byte in the canonical form the journal writes
(`canonical`). A last line without its line end that fails any of these is a torn tail (a crash
mid-write), whatever byte it stops on.

It also holds the optional keyed seal (HMAC-SHA256) and the cheap header peek that save lists
use. Nothing here knows the game: `wargame.journal` checks the hashes, the chain and the replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 64 * 2**20
"""A save larger than this is refused. A long game's save is a few hundred KB (the header
embeds the whole scenario, about 150 KB for the bundled one; a record is well under 1 KB)."""
MAX_HEADER_BYTES = 16 * 2**20
"""The header line embeds the scenario and its decks."""
MAX_RECORD_BYTES = 1 * 2**20
"""One action: a record holding a long note or rationale is still a few KB."""
MAX_DEPTH = 64
"""Records nest a handful of levels; the scenario in the header about a dozen."""

_SURROGATE = re.compile("[\ud800-\udfff]")


class LineError(ValueError):
    """A line the journal cannot have written (line 0: the file as a whole)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def canonical(obj: Any) -> str:
    """The one text the journal writes for a value: keys sorted, no spaces, UTF-8 as is."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be a save, from its `stat` alone (never opens it), or None."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return "this is a folder, not a save"
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "a special file"
        )
        return f"this is {kind}, not a save file"
    return None


def _open_regular(path: Path) -> int:
    """A descriptor on `path`, opened without blocking and checked again once open (the file
    may have been swapped since the `stat`). Raises LineError(0, …) otherwise."""
    why = file_problem(path)
    if why is not None:
        raise LineError(0, why)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise LineError(0, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LineError(0, "this is a special file, not a save file")
    return fd


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES, *, cut: bool = False) -> bytes:
    """The whole file if it is a regular file of at most `limit` bytes; with `cut`, its first
    `limit` bytes whatever its size."""
    fd = _open_regular(path)
    try:
        if not cut and os.fstat(fd).st_size > limit:
            raise LineError(_lines_before(fd, limit), _too_big(limit))
        chunks = []
        size = 0
        while size <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            except OSError as exc:
                raise LineError(0, f"cannot read: {exc.strerror or exc}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if cut:
        return data[:limit]
    if len(data) > limit:
        raise LineError(data.count(b"\n", 0, limit) + 1, _too_big(limit))
    return data


def _too_big(limit: int) -> str:
    return (
        f"the file is larger than {limit // 2**20} MB, far more than any save "
        "(a long game's save is a few hundred KB)"
    )


def _lines_before(fd: int, limit: int) -> int:
    """The line on which byte `limit` falls, counted without keeping what was read."""
    n = 1
    read = 0
    try:
        while read < limit:
            chunk = os.read(fd, min(1 << 20, limit - read))
            if not chunk:
                break
            read += len(chunk)
            n += chunk.count(b"\n")
    except OSError:
        pass
    return n


def _too_long(size: int, limit: int) -> str:
    return f"the line is {size:,} bytes long, far more than any record ({limit:,} at most)"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a save holds")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"the key {k!r} appears twice in one object")
        out[k] = v
    return out


def _depth_over(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        items: Any
        if isinstance(v, dict):
            items = v.values()
        elif isinstance(v, list):
            items = v
        else:
            continue
        if d > limit:
            return True
        stack.extend((x, d + 1) for x in items if isinstance(x, dict | list))
    return False


def parse_line(
    raw: bytes, line: int, *, limit: int, canonical_only: bool = True
) -> tuple[dict[str, Any], bool]:
    """One line as the journal wrote it: (the object, whether its text is canonical). Raises
    LineError naming why the journal cannot have written it; a text that is not canonical
    too, unless `canonical_only` is False (the header checks its format version first, so
    that a newer engine's save is named as such)."""
    if len(raw) > limit:
        raise LineError(line, _too_long(len(raw), limit))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(
            line, f"not UTF-8 text (an invalid byte at column {exc.start + 1})"
        ) from None
    try:
        obj = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise LineError(line, "the record is nested too deeply to be one") from None
    except ValueError as exc:
        col = getattr(exc, "colno", None)
        where = f" at column {col}" if col else ""
        msg = getattr(exc, "msg", str(exc))
        raise LineError(line, f"not valid JSON{where} ({msg})") from None
    if not isinstance(obj, dict):
        raise LineError(line, "not a record (a JSON object was expected)")
    if _depth_over(obj, MAX_DEPTH):
        raise LineError(line, f"the record is nested more than {MAX_DEPTH} levels deep")
    canon = canonical(obj)
    is_canonical = canon == text
    if not is_canonical:
        m = _SURROGATE.search(canon)
        if m:
            raise LineError(
                line,
                f"the record holds a lone surrogate (\\u{ord(m.group()):04x}), which is not a "
                "character",
            )
        try:
            json.loads(text, object_pairs_hook=_no_duplicates)
        except ValueError as exc:
            raise LineError(line, f"not a record the journal wrote ({exc})") from None
        if canonical_only:
            raise LineError(line, NOT_CANONICAL)
    return obj, is_canonical


NOT_CANONICAL = (
    "the line is not in the form the journal writes (keys sorted, no spaces): "
    "it was edited by another tool or by hand"
)


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    obj: dict[str, Any]
    canonical: bool
    end: int
    """Offset just after this line's bytes (its line end included when it has one)."""
    terminated: bool


@dataclass(slots=True)
class Torn:
    """The last line stopped before its line end and does not parse: a crash mid-write."""

    number: int
    start: int


def lines_of(data: bytes) -> Iterator[Line | Torn]:
    """Every line of a save, parsed and checked, then a `Torn` if the tail was cut off. Raises
    LineError for a bad line that is not the unterminated last one."""
    if not data:
        raise LineError(1, "empty file")
    pos = 0
    number = 0
    size = len(data)
    while pos < size:
        number += 1
        nl = data.find(b"\n", pos)
        terminated = nl >= 0
        stop = nl if terminated else size
        limit = MAX_HEADER_BYTES if number == 1 else MAX_RECORD_BYTES
        if stop - pos > limit:  # before copying it
            raise LineError(number, _too_long(stop - pos, limit))
        try:
            obj, canon = parse_line(data[pos:stop], number, limit=limit, canonical_only=number > 1)
        except LineError:
            if not terminated:
                yield Torn(number, pos)
                return
            raise
        end = stop + 1 if terminated else stop
        yield Line(number, obj, canon, end, terminated)
        pos = end


# ---------------------------------------------------------------------- the keyed seal

SEAL_KEY_MIN = 16
"""Bytes of key at least: a seal is only as strong as its key is hard to guess."""


def read_seal_key(path: Path) -> bytes:
    """A seal key from a file the facilitator keeps (any bytes; a final line end is dropped).
    Raises ValueError with a one-line reason."""
    why = file_problem(path)
    if why is not None:
        raise ValueError(f"the seal key file {path}: {why}")
    try:
        key = read_bounded(path, 4096).rstrip(b"\r\n")
    except LineError as exc:
        raise ValueError(f"the seal key file {path}: {exc.reason}") from None
    if len(key) < SEAL_KEY_MIN:
        raise ValueError(
            f"the seal key file {path} holds {len(key)} bytes; a key needs at least "
            f"{SEAL_KEY_MIN} (e.g. `head -c 32 /dev/urandom | base64 > {path.name}`)"
        )
    return key


def seal_id(key: bytes) -> str:
    """A short name of the key, recorded in the header so that a wrong key is told apart from
    an edit. It reveals nothing usable about the key."""
    return hmac.new(key, b"wargame seal key id", hashlib.sha256).hexdigest()[:12]


def seal_of(key: bytes, record_hash: str) -> str:
    """The seal of one line: a keyed MAC of its hash, which covers the line and, through the
    chain, every line before it."""
    return hmac.new(key, record_hash.encode("ascii", "replace"), hashlib.sha256).hexdigest()[:32]


def seal_matches(key: bytes, record_hash: str, seal: Any) -> bool:
    return isinstance(seal, str) and hmac.compare_digest(seal_of(key, record_hash), seal)


# ---------------------------------------------------------------------- save lists


def peek_header(path: Path) -> dict[str, Any] | None:
    """The header of a save if its first line is whole and reads as one; None otherwise (a
    special file, a partial header left by a full disk, anything else). Never blocks."""
    try:
        fd = _open_regular(path)
    except LineError:
        return None
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_HEADER_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if b"\n" in chunk:
                break
        buf = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    nl = buf.find(b"\n")
    if nl < 0:
        return None
    try:
        obj, _ = parse_line(buf[:nl], 1, limit=MAX_HEADER_BYTES, canonical_only=False)
    except LineError:
        return None
    if obj.get("format") != "wargame-journal":
        return None
    return obj


def count_lines(path: Path) -> int:
    """Line ends in a regular file, read in chunks up to the size limit (0 if unreadable)."""
    try:
        fd = _open_regular(path)
    except LineError:
        return 0
    n = 0
    read = 0
    try:
        while read <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            read += len(chunk)
            n += chunk.count(b"\n")
    except OSError:
        return n
    finally:
        os.close(fd)
    return n
