"""A YAML reader for hand-edited files that never guesses.

PyYAML's safe loader turns `NO` into False, `0123` into 83, `1.10` into 1.1 and dates into
`date` objects, lets the last of two duplicate keys win silently and expands aliases without
limit. This reader resolves only `true`/`false`, `null`/`~`, plain decimal integers and floats;
everything else stays a string. Duplicate keys, aliases, anchors and explicit tags are errors.
It also records the line of every key and list item so that validation messages can point at it.
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
    def compose_node(self, parent, index):
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


def _convert(node: yaml.Node, loader: _Loader, path: Path_, lines: dict[Path_, int], dupes: list):
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
            result[key] = _convert(value_node, loader, (*path, key), lines, dupes)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loader, (*path, i), lines, dupes) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


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
    """Read a UTF-8 text file, refusing a byte-order mark, other encodings and NUL bytes."""
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


def load_yaml(path: Path, root: Path | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Load one YAML file strictly. Returns the document or the problems that stopped it."""
    shown = display_path(path, root)
    text, problems = read_text_strict(path, shown)
    if text is None:
        return None, problems
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown, None, None, None, "file is empty; expected content")]
        lines: dict[Path_, int] = {}
        dupes: list = []
        data = _convert(node, loader, (), lines, dupes)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        return None, [Problem(shown, line, None, None, f"invalid YAML: {message}")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, None, None, None, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    doc = YamlDocument(data, lines, shown)
    problems = [
        Problem(shown, line, None, ".".join(map(str, key_path)), "duplicate key; each key may appear once")
        for key_path, line in dupes
    ]
    return doc, problems
