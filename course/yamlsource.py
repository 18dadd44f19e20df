"""Read a YAML file into plain Python values plus the line of every value.

Course files are small hand-written documents, so this reader refuses what such
files never need and what can hurt: anchors/aliases (the billion-laughs bomb),
enormous files, deep nesting, duplicate keys and non-UTF-8 bytes. Every refusal
is a ``ContentError`` naming the file and the line.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from course.errors import ContentError

MAX_BYTES = 1_000_000  # the largest shipped module is ~60 kB
MAX_NODES = 100_000
MAX_DEPTH = 40

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]


class _RefusingComposer(Composer):
    """A composer that stops at the first alias instead of resolving it."""

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark.line + 1,
                "anchors and aliases (&name / *name) are not allowed in course files; "
                "write the value out",
            )
        return super().compose_node(parent, index)


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _RefusingComposer,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _RefusingComposer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, or a ContentError saying in one line why there are none."""
    try:
        mode = path.stat().st_mode  # follows links: a loop or a broken link fails here
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "file is missing"
        raise ContentError(path, None, reason) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ContentError(path, None, "symbolic link loop: it leads back to itself") from None
        raise ContentError(path, None, f"cannot read the file: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise ContentError(path, None, "is a folder, not a YAML file")
    if not stat.S_ISREG(mode):
        # A FIFO would make the read wait forever; a device could be endless.
        raise ContentError(path, None, "is not a regular file (a pipe, a socket or a device)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(path, None, f"cannot read the file: {exc.strerror or exc}") from None


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse ``path``; return its data and a map from data location to 1-based line."""
    raw = read_bytes(path)
    if len(raw) > MAX_BYTES:
        raise ContentError(
            path, 1, f"file is too large ({len(raw):,} bytes; the limit is {MAX_BYTES:,})"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            path, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise ContentError(path, 1, "file is empty")
    deepest = _too_deep(text)
    if deepest is not None:
        raise ContentError(path, deepest, f"nesting is deeper than {MAX_DEPTH} levels")
    quick = _read_quickly(text)
    if quick is not None:
        return quick
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError(path, 1, "file is empty")
        builder = _Builder(loader)
        data = builder.build(node, ())
        return data, builder.lines
    except _Refused as exc:
        raise ContentError(path, exc.line, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ContentError(path, line, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def _too_deep(text: str) -> int | None:
    """The line where brackets (flow collections) first nest past ``MAX_DEPTH``, or None.

    YAML's parser recurses once per level before the builder could count them, so thousands
    of « [ » would exhaust Python's stack: a rough count first (quoted text skipped) refuses
    such input with its line.
    """
    depth, line, quote = 0, 1, ""
    for char in text:
        if char == "\n":
            line += 1
            quote = ""  # flow scalars rarely span lines; a stray quote must not hide depth
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _read_quickly(text: str) -> tuple[Any, LineMap] | None:
    """The data and lines as libyaml reads them (ten times faster than the pure-Python
    parser), or None when the pure-Python loader must decide: no libyaml, an empty
    document, an alias, any error, or any refusal, so that problems read the same."""
    if not yaml.__with_libyaml__:
        return None
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        builder = _Builder(loader, refuse_shared=True)
        return builder.build(node, ()), builder.lines
    except (yaml.YAMLError, _Refused):
        return None
    finally:
        loader.dispose()


class _Builder:
    """Turn composed nodes into plain values, recording each value's line."""

    def __init__(self, loader, refuse_shared: bool = False) -> None:
        self.loader = loader
        self.lines: LineMap = {}
        self.count = 0
        # libyaml resolves an alias to the node it names: a node met twice was an alias.
        self.seen: set[int] | None = set() if refuse_shared else None

    def build(self, node: Node, loc: Loc, depth: int = 0) -> Any:
        self.count += 1
        line = node.start_mark.line + 1
        if self.seen is not None:
            if id(node) in self.seen:
                raise _Refused(line, "alias")
            self.seen.add(id(node))
        if self.count > MAX_NODES:
            raise _Refused(line, f"file has more than {MAX_NODES:,} values; split it")
        if depth > MAX_DEPTH:
            raise _Refused(line, f"nesting is deeper than {MAX_DEPTH} levels")
        self.lines.setdefault(loc, line)
        if isinstance(node, ScalarNode):
            return self.loader.construct_object(node)
        if isinstance(node, SequenceNode):
            return [
                self.build(item, (*loc, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, ScalarNode):
                    raise _Refused(key_line, "a key must be a plain word, not a list or mapping")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Refused(key_line, "merge keys (<<) are not allowed in course files")
                key = str(self.loader.construct_object(key_node))
                if key in result:
                    raise _Refused(key_line, f"duplicate key '{key}'")
                self.lines[(*loc, key)] = key_line
                result[key] = self.build(value_node, (*loc, key), depth + 1)
            return result
        raise _Refused(line, "unsupported YAML node")  # pragma: no cover - all kinds handled


def line_for(lines: LineMap, loc: Loc) -> int:
    """The line of the deepest part of ``loc`` present in the file (1 when none)."""
    best = lines.get((), 1)
    current: Loc = ()
    for part in loc:
        candidate = (*current, part)
        if candidate in lines:
            current = candidate
            best = lines[candidate]
        # parts not in the data (pydantic's union tags) are skipped
    return best
