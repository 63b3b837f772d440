"""Brief specifications (briefs/<id>.yaml): who a brief is for and what it contains."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator

from policybrief.content.models import Id, Str, Strict
from policybrief.core.names import ID_PATTERN, LANGUAGES, MAX_PAGES
from policybrief.core.paths import inside
from policybrief.core.problems import InputError, Problem, display_path
from policybrief.core.validation import validate_document
from policybrief.core.yamlio import YamlDocument, load_yaml, parse_yaml

SECTIONS = (
    "bottom_line", "question", "key_figures", "findings", "recommendations", "caveat",
    "chart", "junctures", "hypotheses", "method", "references", "about",
)
FORMATS = ("pdf", "docx", "html")


class Audience(Strict):
    name: Str
    detail: Str
    decides: Str


class Words(Strict):
    max: Annotated[int, Field(ge=50, le=20000)]


class ReadingLevel(Strict):
    index: Literal["flesch-kincaid-grade", "fernandez-huerta", "szigriszt-pazos"]
    target: Annotated[float, Field(ge=0, le=200)] | Annotated[int, Field(ge=0, le=200)]
    tolerance: Annotated[float, Field(ge=0, le=100)] | Annotated[int, Field(ge=0, le=100)] = 3


class FindingRules(Strict):
    tags: list[Id] = []
    include: list[Id] = []
    exclude: list[Id] = []
    max_priority: Annotated[int, Field(ge=1, le=3)] = 3
    limit: Annotated[int, Field(ge=1, le=50)] | None = None
    detail: Literal["headline", "statement", "full"] = "statement"


class RecommendationRules(Strict):
    actors: list[Id] = []
    include: list[Id] = []
    exclude: list[Id] = []
    basis: list[Literal["stated", "derived"]] = ["stated", "derived"]
    limit: Annotated[int, Field(ge=1, le=50)] | None = None
    actor_order: list[Id] = []
    detail: Literal["action", "full"] = "full"


class FigureRules(Strict):
    tags: list[Id] = []
    include: list[Id] = []
    exclude: list[Id] = []
    limit: Annotated[int, Field(ge=1, le=50)] | None = None


class Selection(Strict):
    findings: FindingRules = FindingRules()
    recommendations: RecommendationRules = RecommendationRules()
    figures: FigureRules = FigureRules()


FRAMING_PIECES = ("title", "subtitle", "kicker", "bottom_line", "chart_title", "chart_caption", "intro", "closing")


class Framing(Strict):
    """The brief's own words around the records. Each piece names the records it summarises; a
    number, actor, programme or year it prints must be carried by one of them (checked by QA)."""

    kicker: Str
    bottom_line: Str
    intro: Str | None = None
    closing: Str | None = None
    chart_title: Str | None = None
    chart_caption: Str | None = None
    summarises: dict[Literal[FRAMING_PIECES], list[Id]] = {}  # type: ignore[valid-type]


class BriefSpec(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    audience: Audience
    title: Str
    subtitle: Str
    language: Literal[LANGUAGES]  # type: ignore[valid-type]
    formats: Annotated[list[Literal[FORMATS]], Field(min_length=1)]  # type: ignore[valid-type]
    max_pages: Annotated[int, Field(ge=1, le=MAX_PAGES)]
    words: Words
    reading_level: ReadingLevel
    template: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")] = "brief"
    notes: Literal["full", "short"] = "full"
    sections: Annotated[list[Literal[SECTIONS]], Field(min_length=2)]  # type: ignore[valid-type]
    select: Selection
    framing: Framing
    # Topics (vocabulary tags) the brief promises to cover; selection fails when one gets no record.
    covers: list[Id] = []
    # Briefs in the source language this one restates: QA lists the records they print and it does
    # not, and fails unless each is left out on purpose, with the reason, in `omits`.
    counterparts: list[Id] = []
    omits: dict[Id, Str] = {}
    # Print the editors' notes of the records (always labelled as the editors'). A short brief may
    # leave them out: they add context, and the records' own text says only what the thesis says.
    editors_notes: bool = True

    @field_validator("sections")
    @classmethod
    def _section_rules(cls, sections: list[str]) -> list[str]:
        if sections[0] != "bottom_line":
            raise ValueError(f"sections must start with bottom_line (the bottom line comes first); found '{sections[0]}'")
        if sections[-1] != "about":
            raise ValueError("sections must end with about (the source citation and evidence date)")
        return once_each(sections)

    @field_validator("formats")
    @classmethod
    def _formats_once(cls, formats: list[str]) -> list[str]:
        return once_each(formats)  # a format listed twice would be published and attached twice


def once_each(values: list[str]) -> list[str]:
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"may list each value once; repeated: {', '.join(repeated)}")
    return values


@dataclass(frozen=True)
class SpecFile:
    """A validated spec with the file it came from, so later checks can point at a line."""

    spec: BriefSpec
    file: str
    doc: YamlDocument

    def line_of(self, *path) -> int | None:
        return self.doc.line_of(tuple(path))


def _checked(doc: YamlDocument | None, problems: list[Problem], stem: str) -> SpecFile:
    if doc is None:
        raise InputError(problems)
    spec, more = validate_document(doc, BriefSpec, is_list=False)
    problems = problems + more
    if spec is not None and spec.id != stem:
        problems.append(Problem(doc.file, doc.line_of(("id",)), spec.id, "id",
                                f"must match the file name '{stem}' (a spec's id is its file name without .yaml)"))
    if problems:
        raise InputError(problems)
    return SpecFile(spec, doc.file, doc)


def load_spec(path: Path) -> SpecFile:
    """Load and validate one brief spec; the file name must be `<id>.yaml`, and the file (or what a
    symlink points at) must lie in its folder."""
    path = Path(path)
    doc, problems = load_yaml(inside(path.parent, path.name, display_path(path), None))
    return _checked(doc, problems, path.stem)


def parse_spec(text: str, path: Path) -> SpecFile:
    """Validate spec text that is about to be written to `path`, before anything is written."""
    doc, problems = parse_yaml(text, display_path(path))
    return _checked(doc, problems, Path(path).stem)


def spec_paths(briefs_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The specs in a folder (`<id>.yaml`), and a problem for every other entry: a file that would
    otherwise be skipped silently (`press.yml`, `Press.yaml`, `press.yaml.bak`). Hidden files are ignored."""
    paths, problems = [], []
    for entry in sorted(Path(briefs_dir).iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.suffix == ".yaml" and re.fullmatch(ID_PATTERN, entry.stem) and entry.is_file():
            paths.append(entry)
        else:
            problems.append(Problem(display_path(entry), None, None, None,
                                    "is not read: brief specs are files named <id>.yaml, the id in lower-case letters, digits and hyphens"))
    return paths, problems


def read_specs(briefs_dir: Path) -> tuple[list[SpecFile], list[Problem]]:
    """Every spec in the folder that is valid, and the problems of all the others."""
    paths, problems = spec_paths(briefs_dir)
    specs = []
    for path in paths:
        try:
            specs.append(load_spec(path))
        except InputError as exc:
            problems += exc.problems
    if not specs and not problems:
        problems.append(Problem(display_path(briefs_dir), None, None, None, "no brief specs (*.yaml) found"))
    return specs, problems


def load_specs(briefs_dir: Path) -> list[SpecFile]:
    """Every spec in the folder; all problems across all files are reported together."""
    specs, problems = read_specs(briefs_dir)
    if problems:
        raise InputError(problems)
    return specs
