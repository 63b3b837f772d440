"""Turn pydantic validation errors into Problems that name file, line, record and field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .problems import Problem
from .yamlio import YamlDocument

_TYPE_NAMES = {bool: "boolean", int: "integer", float: "number", str: "text", list: "list", dict: "mapping", type(None): "nothing (empty value)"}


def describe_found(value: Any) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)):
        return kind
    shown = repr(value) if not isinstance(value, str) else f"'{value[:60]}'"
    return f"{kind} {shown}"


def explain(error: dict) -> str:
    """A one-line message saying what was expected and what was found."""
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field (check the spelling; unknown fields are not allowed)"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    found = describe_found(value)
    hint = ""
    if isinstance(value, bool) and kind in ("string_type", "literal_error", "string_pattern_mismatch"):
        hint = " (YAML reads bare true/false as booleans; put the text in quotes)"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kind == "string_type":
        hint = " (put the value in quotes to keep it as text)"
    if kind == "string_pattern_mismatch":
        message = f"does not match the expected form {error.get('ctx', {}).get('pattern', '')}"
    return f"{message}; found {found}{hint}"


def locate_record(data: Any, loc: tuple) -> tuple[str | None, tuple]:
    """The innermost record (a mapping in a list, named by its id) on the error's path, and the field below it.

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


def validate_document(
    doc: YamlDocument,
    model: Any,
    is_list: bool,
) -> tuple[Any, list[Problem]]:
    """Validate a parsed YAML document against a model (or a list of models)."""
    adapter = TypeAdapter(list[model] if is_list else model)
    if is_list and not isinstance(doc.data, list):
        return None, [Problem(doc.file, 1, None, None, f"expected a list of records; found {describe_found(doc.data)}")]
    if not is_list and not isinstance(doc.data, dict):
        return None, [Problem(doc.file, 1, None, None, f"expected a mapping of fields; found {describe_found(doc.data)}")]
    try:
        return adapter.validate_python(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            record, field_path = locate_record(doc.data, loc)
            problems.append(
                Problem(
                    doc.file,
                    doc.line_of(loc),
                    record,
                    ".".join(str(part) for part in field_path) or None,
                    explain(error),
                )
            )
        return None, problems


def validate_row(model: type[BaseModel], row: dict, file: str, line: int) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(row), []
    except ValidationError as exc:
        record = row.get("id") or None
        return None, [
            Problem(file, line, record, ".".join(map(str, e["loc"])) or None, explain(e)) for e in exc.errors()
        ]
