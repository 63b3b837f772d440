"""Choose the records a brief contains, and say why every other record was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policybrief.content.loading import Content, describe, load_content, read_content
from policybrief.content.verify import missing_source, verified
from policybrief.core.problems import InputError, Problem, display_path, unknown

from .framing import framing_problems
from .specs import SpecFile, load_specs, read_specs


@dataclass(frozen=True)
class Excluded:
    id: str
    reason: str


@dataclass
class Chosen:
    findings: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    excluded: dict[str, list[Excluded]] = field(default_factory=dict)

    def ids(self) -> dict[str, list[str]]:
        return {kind: [r.id for r in getattr(self, kind)] for kind in ("findings", "recommendations", "figures")}


def _tag_reason(record_tags, wanted_tags, include) -> str | None:
    """With tags, a record needs one of them; with only an include list, only listed records pass."""
    if wanted_tags:
        return None if set(record_tags) & set(wanted_tags) else "none of its tags are selected"
    return "not in the include list" if include else None


def _pick(records, include, exclude, matches, limit, sort_key=None):
    chosen, excluded = [], []
    for record in records:
        if record.id in exclude:
            excluded.append(Excluded(record.id, "excluded by the spec"))
        elif record.id in include:
            chosen.append(record)
        else:
            reason = matches(record)
            if reason is None:
                chosen.append(record)
            else:
                excluded.append(Excluded(record.id, reason))
    if sort_key:
        chosen.sort(key=sort_key)
    if limit is not None and len(chosen) > limit:
        excluded += [Excluded(r.id, f"over the limit of {limit}") for r in chosen[limit:]]
        chosen = chosen[:limit]
    return chosen, excluded


def select(spec_file: SpecFile, content: Content) -> Chosen:
    """Apply the spec's rules. Unknown ids, tags and actors in the spec are errors, not silent no-ops."""
    spec = spec_file.spec
    problems = check_spec_references(spec_file, content)
    if problems:
        raise InputError(problems)
    rules = spec.select
    order = {f.id: i for i, f in enumerate(content.findings)}

    def finding_matches(f):
        if f.priority > rules.findings.max_priority:
            return f"priority {f.priority} is below the brief's cut-off ({rules.findings.max_priority})"
        return _tag_reason(f.tags, rules.findings.tags, rules.findings.include)

    findings, f_out = _pick(
        content.findings, rules.findings.include, rules.findings.exclude, finding_matches,
        rules.findings.limit, sort_key=lambda f: (f.priority, order[f.id]),
    )

    def rec_matches(r):
        if r.basis not in rules.recommendations.basis:
            return f"basis '{r.basis}' is not selected"
        if rules.recommendations.actors and r.actor not in rules.recommendations.actors:
            return f"actor '{r.actor}' is not selected"
        return None

    actor_rank = {a: i for i, a in enumerate(rules.recommendations.actor_order)}
    rec_order = {r.id: i for i, r in enumerate(content.recommendations)}
    recommendations, r_out = _pick(
        content.recommendations, rules.recommendations.include, rules.recommendations.exclude, rec_matches,
        rules.recommendations.limit,
        sort_key=lambda r: (r.kind == "caveat", actor_rank.get(r.actor, len(actor_rank)), rec_order[r.id]),
    )

    def figure_matches(fig):
        return _tag_reason(fig.tag_list, rules.figures.tags, rules.figures.include)

    include_rank = {fid: i for i, fid in enumerate(rules.figures.include)}
    fig_order = {f.id: i for i, f in enumerate(content.figures)}
    figures, g_out = _pick(
        content.figures, rules.figures.include, rules.figures.exclude, figure_matches, rules.figures.limit,
        sort_key=lambda f: (include_rank.get(f.id, len(include_rank)), fig_order[f.id]),
    )
    chosen = Chosen(findings, recommendations, figures, {"findings": f_out, "recommendations": r_out, "figures": g_out})
    _drop_unprinted(spec, chosen)
    problems = _check_chosen(spec_file, chosen, content) + framing_problems(spec_file, content, chosen)
    if problems:
        raise InputError(problems)
    return chosen


SECTION_OF = {"findings": "findings", "recommendations": "recommendations", "figures": "key_figures"}


def _printed_in(kind: str, record) -> str:
    """The section that prints a record: caveats have their own section, apart from recommendations."""
    return "caveat" if kind == "recommendations" and record.kind == "caveat" else SECTION_OF[kind]


def _drop_unprinted(spec, chosen: Chosen) -> None:
    """Records whose section the brief does not print are listed as excluded, not selected."""
    for kind in SECTION_OF:
        records = getattr(chosen, kind)
        kept = [r for r in records if _printed_in(kind, r) in spec.sections]
        chosen.excluded[kind] += [Excluded(r.id, f"the brief has no '{_printed_in(kind, r)}' section")
                                  for r in records if r not in kept]
        setattr(chosen, kind, kept)


def check_spec_references(spec_file: SpecFile, content: Content) -> list[Problem]:
    return spec_reference_problems(spec_file, vars(content))


def spec_reference_problems(spec_file: SpecFile, values: dict) -> list[Problem]:
    """Ids, tags and actors a spec names that the data lacks. `values` holds the data files that
    loaded (file key -> value); names into a file that failed to load are not checked."""
    spec = spec_file.spec
    vocabulary = values.get("vocabulary")
    known = {
        "findings": {f.id for f in values["findings"]} if "findings" in values else None,
        "recommendations": {r.id for r in values["recommendations"]} if "recommendations" in values else None,
        "figures": {f.id for f in values["figures"]} if "figures" in values else None,
        "tags": set(vocabulary.tags) if vocabulary else None,
        "actors": set(vocabulary.actors) if vocabulary else None,
    }
    problems = []

    def check(field_name, values, kind, what):
        for index, value in enumerate(values):
            if known[kind] is not None and value not in known[kind]:
                line = spec_file.line_of(*field_name.split("."), index)
                problems.append(Problem(spec_file.file, line, spec.id, field_name, unknown(what, value, known[kind])))

    for kind in ("findings", "recommendations", "figures"):
        rules = getattr(spec.select, kind)
        check(f"select.{kind}.include", rules.include, kind, kind[:-1])
        check(f"select.{kind}.exclude", rules.exclude, kind, kind[:-1])
    check("select.findings.tags", spec.select.findings.tags, "tags", "tag")
    check("select.figures.tags", spec.select.figures.tags, "tags", "tag")
    check("select.recommendations.actors", spec.select.recommendations.actors, "actors", "actor")
    check("select.recommendations.actor_order", spec.select.recommendations.actor_order, "actors", "actor")
    return problems


def _check_chosen(spec_file: SpecFile, chosen: Chosen, content: Content) -> list[Problem]:
    spec = spec_file.spec
    problems = []

    def add(field_name: str, message: str) -> None:
        line = spec_file.line_of(*field_name.split("."))
        problems.append(Problem(spec_file.file, line, spec.id, field_name, message))

    needs = {"findings": "findings", "recommendations": "recommendations", "key_figures": "figures"}
    for section, kind in needs.items():
        if section in spec.sections and not getattr(chosen, kind):
            add(f"select.{kind}", f"the section '{section}' is listed but the rules select no {kind}")
    if "caveat" in spec.sections and not any(r.kind == "caveat" for r in chosen.recommendations):
        add("sections", "the section 'caveat' is listed but no caveat record is selected")
    if "hypotheses" in spec.sections and not content.hypotheses:
        add("sections", "the section 'hypotheses' is listed but the study has no hypotheses "
                        f"({display_path(content.data_dir / 'hypotheses.yaml')})")
    if spec.language != "en":
        lang = spec.language
        for f in chosen.findings:
            fields = ["headline", "statement"] + (["explanation"] if spec.select.findings.detail == "full" else [])
            for name in fields:
                if getattr(f, name).get(lang) is None:
                    add("select.findings", f"finding '{f.id}' has no '{lang}' text for {name}; translate it in data/findings.yaml or exclude it")
        for r in chosen.recommendations:
            for name in ("headline", "action", "rationale"):
                if getattr(r, name).get(lang) is None:
                    add("select.recommendations", f"recommendation '{r.id}' has no '{lang}' text for {name}")
    return problems


def check_specs(data: str, briefs: str) -> int:
    """`policybrief check-specs`: every spec valid and its selection possible, all problems at once."""
    specs = load_specs(Path(briefs))
    print(_checked_selections(specs, load_content(data)))
    return 0


def _checked_selections(specs: list[SpecFile], content: Content) -> str:
    """Every spec's selection made (InputError with every problem), and a line saying so."""
    problems = []
    for spec_file in specs:
        try:
            select(spec_file, content)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return f"ok: {len(specs)} brief specs are valid: {', '.join(s.spec.id for s in specs)}"


def check_inputs(data: str, briefs: str, source: str) -> int:
    """validate, check-specs and verify in one process (one job per study in the workflow), every
    problem in one run: a broken data file hides neither the other files' problems nor the specs'.
    The data is read once (parsing it is most of the job's time)."""
    source_path = Path(source)
    values, content, problems = read_content(data)
    if not source_path.is_file():
        problems.append(missing_source(source))
    specs, spec_problems = read_specs(Path(briefs))
    problems += spec_problems
    for spec_file in specs:
        problems += spec_reference_problems(spec_file, values)
    if problems or content is None:
        raise InputError(problems)
    print(describe(content))
    print(_checked_selections(specs, content))
    print(verified(content, source_path))
    return 0
