"""Turn pydantic validation errors into Problems that name file, line, record and field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .problems import Problem
from .yamlio import YamlDocument, locate_record

_TYPE_NAMES = {bool: "boolean", int: "integer", float: "number", str: "text", list: "list", dict: "mapping", type(None): "nothing (empty value)"}


def visible(text: str) -> str:
    """`text` with every character that does not print (controls, format characters, surrogates)
    written as its code, so a message shows what is there."""
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in text)


def describe_found(value: Any) -> str:
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)):
        return kind
    shown = repr(value) if not isinstance(value, str) else f"'{visible(value[:60])}'"
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
    if kind == "value_error" and isinstance(value, (dict, list)):
        return message  # the validator's message says what is wrong with the whole list or mapping
    found = describe_found(value)
    hint = ""
    if isinstance(value, bool) and kind in ("string_type", "literal_error", "string_pattern_mismatch"):
        hint = " (YAML reads bare true/false as booleans; put the text in quotes)"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kind == "string_type":
        hint = " (put the value in quotes to keep it as text)"
    if kind == "string_pattern_mismatch":
        message = f"does not match the expected form {error.get('ctx', {}).get('pattern', '')}"
    return f"{message}; found {found}{hint}"


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
