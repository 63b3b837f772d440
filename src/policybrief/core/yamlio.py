"""A YAML reader for hand-edited files that never guesses.

PyYAML's safe loader turns `NO` into False, `0123` into 83, `1.10` into 1.1 and dates into
`date` objects, lets the last of two duplicate keys win silently and expands aliases without
limit. This reader resolves only `true`/`false`, `null`/`~`, plain decimal integers and floats;
everything else stays a string. Duplicate keys, aliases, anchors and explicit tags are errors.
It also records the line of every key and list item so that validation messages can point at it.
Input is bounded before it is parsed: files over MAX_INPUT_BYTES and nesting deeper than MAX_DEPTH
are refused with a message (no parser runs for minutes or overflows the stack), and a lone surrogate
written as a `\\u` escape is refused where it is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .problems import Problem, display_path

Path_ = tuple[Any, ...]

# Every hand-edited input (data, specs, brand, recipients) is a few kilobytes; the largest shipped
# file is 22 kB. A megabyte is room for any real study and refuses a runaway file at once (a 50 MB
# file used to take minutes and a gigabyte of memory before its first error).
MAX_INPUT_BYTES = 1_000_000
# The deepest real structure is 4 levels (a finding's sources list of mappings); 32 is generous and
# far below Python's recursion limit, which a 20,000-level file used to hit.
MAX_DEPTH = 32
_SURROGATE = re.compile(r"[\ud800-\udfff]")

_SCALAR_RULES = [
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|)$"), ["~", "n", ""]),
    ("tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]*)$"), list("-0123456789")),
    ("tag:yaml.org,2002:float", re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+$"), list("-0123456789")),
]


class _Resolver(BaseResolver):
    pass


for _tag, _regexp, _first in _SCALAR_RULES:
    _Resolver.add_implicit_resolver(_tag, _regexp, _first)


class _Composer(Composer):
    _depth = 0

    def compose_node(self, parent, index):
        if self._depth >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                None, None, f"nested more than {MAX_DEPTH} levels deep; data files are never this deep", self.peek_event().start_mark
            )
        self._depth += 1
        try:
            return self._compose_checked(parent, index)
        finally:
            self._depth -= 1

    def _compose_checked(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not allowed; write the value out", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not allowed; write the value out", event.start_mark
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise yaml.MarkedYAMLError(
                None, None, f"explicit YAML tags such as '{tag}' are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


class _Loader(Reader, Scanner, Parser, _Composer, SafeConstructor, _Resolver):
    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)


# libyaml scans and parses the events (most of the time a file takes); the checks above still compose
# the nodes. Its error messages are worded differently, so a file it refuses is parsed again by the
# pure-Python loader, whose messages `_plain_words` knows.
_FastLoader: type | None = None
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _FastLoader(_Composer, CParser, SafeConstructor, _Resolver):  # type: ignore[no-redef]
        def __init__(self, stream):
            CParser.__init__(self, stream)
            _Composer.__init__(self)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


def _convert(node: yaml.Node, loader: _Loader, path: Path_, lines: dict[Path_, int], dupes: list, bad: list):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.MarkedYAMLError(None, None, "keys must be plain text", key_node.start_mark)
            key = loader.construct_object(key_node)
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                dupes.append(((*path, key), key_node.start_mark.line + 1))
            result[key] = _convert(value_node, loader, (*path, key), lines, dupes, bad)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*path, i), lines, dupes, bad) for i, item in enumerate(node.value)]
    value = loader.construct_object(node)
    if isinstance(value, str) and _SURROGATE.search(value):
        # Only a \u escape can make one (UTF-8 cannot encode it); it would fail every writer later.
        bad.append((path, node.start_mark.line + 1, ord(_SURROGATE.search(value).group())))
    return value


def locate_record(data: Any, loc: tuple) -> tuple[str | None, tuple]:
    """The innermost record (a mapping in a list, named by its id) on the path `loc`, and the field below it.

    A single-record file (a brief spec, study.yaml) is named by its own id.
    """
    record = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    field_path, node = loc, data
    for depth, part in enumerate(loc):
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                record = node["id"] if isinstance(node.get("id"), str) else f"#{part + 1}"
                field_path = loc[depth + 1:]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    return record, field_path


class YamlDocument:
    """Parsed YAML plus the line of every key, so errors can name where a value lives."""

    def __init__(self, data: Any, lines: dict[Path_, int], file: str):
        self.data = data
        self.lines = lines
        self.file = file

    def line_of(self, path: Path_) -> int | None:
        """Line of the deepest existing prefix of `path` (a missing field points at its record)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def read_text_strict(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file, refusing one over MAX_INPUT_BYTES, a byte-order mark, other encodings and NUL bytes."""
    size = Path(path).stat().st_size
    if size > MAX_INPUT_BYTES:
        return None, [Problem(shown, None, None, None,
                              f"file is {size:,} bytes; input files are limited to {MAX_INPUT_BYTES:,} bytes (README: Guarantees)")]
    raw = Path(path).read_bytes()
    if not raw.strip():
        return None, [Problem(shown, None, None, None, "file is empty; expected content")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(shown, 1, None, None, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    if b"\x00" in raw:
        return None, [Problem(shown, None, None, None, "file contains NUL bytes; expected UTF-8 text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, None, None, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
    return text.replace("\r\n", "\n"), []


# PyYAML's messages name parser states; a person editing a file needs what to change. Each entry:
# a fragment of PyYAML's problem text, whether the mistake is where the construct *started* (an
# unclosed quote is reported at the end of the file), and the plain message.
_PLAIN = [
    ("mapping values are not allowed here", False,
     "a second ': ' on this line; a value that contains a colon followed by a space must be in quotes"),
    ("found character '\\t'", False, "a tab character; YAML is indented with spaces only"),
    ("that cannot start any token", False, "a value cannot start with this character; put the value in quotes"),
    ("quoted scalar found unexpected end of stream", True, "a quote opened here is never closed"),
    ("expected ',' or ']'", True, "a list opened with '[' here is not closed with ']', or two items lack a comma between them"),
    ("expected ',' or '}'", True, "a mapping opened with '{' here is not closed with '}', or two entries lack a comma between them"),
    ("could not find expected ':'", True, "this line has no ': ' between key and value, or text continues a value without being indented under it"),
    ("found unknown escape character", False,
     "a backslash escape that YAML does not know, in double quotes; write \\\\ for a backslash, or use single quotes"),
    ("expected a single document", False, "a second document ('---'); each file holds one"),
    ("but found '-'", False, "a list item ('- ') where a key was expected; check the indentation"),
    ("but found '<scalar>'", False, "text where none was expected; check the indentation, and that a quoted value has nothing after its closing quote"),
    ("expected <block end>", False, "this line is indented differently from the lines above it at the same level; line it up"),
]


def _plain_words(exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """The line to show and a message in plain words for a YAML syntax error."""
    said = f"{exc.context or ''} {exc.problem or ''}"
    for fragment, at_start, message in _PLAIN:
        if fragment in said:
            mark = exc.context_mark if at_start and exc.context_mark else exc.problem_mark
            return mark.line + 1, f"invalid YAML: {message} (column {mark.column + 1})"
    mark = exc.problem_mark or exc.context_mark
    detail = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
    return (mark.line + 1 if mark else None), f"invalid YAML: {detail}"


def parse_yaml(text: str, shown: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text strictly (see the module docstring); `shown` names it in messages."""
    if _FastLoader is not None:
        try:
            return _parse_with(_FastLoader, text, shown)
        except yaml.YAMLError:
            pass  # parsed again below for the message in plain words
    try:
        return _parse_with(_Loader, text, shown)
    except yaml.MarkedYAMLError as exc:
        line, message = _plain_words(exc)
        return None, [Problem(shown, line, None, None, message)]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, None, None, None, f"invalid YAML: {exc}")]


def _parse_with(loader_class: type, text: str, shown: str) -> tuple[YamlDocument | None, list[Problem]]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown, None, None, None, "file is empty; expected content")]
        lines: dict[Path_, int] = {}
        dupes: list = []
        surrogates: list = []
        data = _convert(node, loader, (), lines, dupes, surrogates)
    finally:
        loader.dispose()
    doc = YamlDocument(data, lines, shown)
    problems = [
        Problem(shown, line, None, ".".join(map(str, key_path)), "duplicate key; each key may appear once")
        for key_path, line in dupes
    ]
    if surrogates:
        # Refused like a syntax error: no later step may print or write the value.
        return None, problems + [_surrogate_problem(shown, data, *bad) for bad in surrogates]
    return doc, problems


def _surrogate_problem(shown: str, data: Any, key_path: Path_, line: int, code: int) -> Problem:
    record, field = locate_record(data, key_path)
    return Problem(shown, line, record, ".".join(map(str, field)) or None,
                   f"contains U+{code:04X}, a lone surrogate (half of a \\u escape pair), which is not a character; remove it")


def load_yaml(path: Path, root: Path | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Load one YAML file strictly. Returns the document or the problems that stopped it."""
    shown = display_path(path, root)
    text, problems = read_text_strict(path, shown)
    if text is None:
        return None, problems
    return parse_yaml(text, shown)
