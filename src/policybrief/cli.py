"""Command line: `policybrief validate | verify | render | manifest | ...`.

Every command exits 0 on success, 1 when an input is wrong (with a message naming file, line,
record and field) and never shows a traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import InputError

DEFAULT_SOURCE = Path("../shared/seed/thesis-garza-2010.md")


def _cmd_validate(args) -> int:
    from .content import load_content

    content = load_content(args.data)
    print(
        f"ok: {args.data} is valid — {len(content.findings)} findings, {len(content.recommendations)} recommendations, "
        f"{len(content.figures)} figures, {len(content.hypotheses)} hypotheses, "
        f"{len(content.junctures.junctures)} junctures, {len(content.references)} references"
    )
    return 0


def _cmd_verify(args) -> int:
    from .content import load_content
    from .verify import verify_or_raise

    source = Path(args.source)
    if not source.is_file():
        print(f"error: the thesis text '{source}' does not exist; pass --source PATH", file=sys.stderr)
        return 1
    content = load_content(args.data)
    verify_or_raise(content, source)
    count = sum(1 for _ in content.sourced_records())
    print(f"ok: all {count} anchors found in {source}; all {len(content.figures)} figure values appear in their anchors")
    return 0


def _cmd_render(args) -> int:
    from .build import Paths, build_brief, prepare
    from .pandoc import PandocError
    from .pdf import RenderError

    paths = Paths(Path(args.data), Path(args.briefs), Path(args.templates), Path(args.charts), Path(args.reference_docx))
    try:
        prepared = prepare(args.brief, paths.data, paths.briefs, paths.templates)
        record = build_brief(args.brief, paths, Path(args.out), Path(args.record), args.epoch, prepared)
    except (RenderError, PandocError) as exc:
        print(f"error: brief '{args.brief}': {exc}", file=sys.stderr)
        return 1
    print(f"ok: {args.brief}: " + ", ".join(sorted(record["files"].values())))
    code = 0
    if args.qa:
        # Measured in the same job as the render, so a QA result can never describe other files.
        code = _measure(args, Path(args.out), record, Path(args.qa), prepared.spec_file, prepared.content)
    print(f"peak memory: {_peak_mb()}")  # read by the scale benchmark from the job's log
    return code


def _peak_mb() -> str:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return f"{own} MB (largest helper process, pandoc: {helpers} MB)"


def _cmd_chart(args) -> int:
    from .brand import load_brand
    from .charts import draw
    from .content import load_content
    from .i18n import translations

    templates = Path(args.templates)
    content = load_content(args.data)
    brand = load_brand(templates)
    for lang in args.lang:
        out = Path(args.out) / lang
        draw(content, brand, templates, lang, translations(templates, lang), out / "cooperation.svg", out / "cooperation.png")
    print(f"ok: charts for {', '.join(args.lang)} in {args.out}")
    return 0


def _cmd_reference_docx(args) -> int:
    from .brand import load_brand
    from .reference_docx import build_reference_docx

    build_reference_docx(load_brand(Path(args.templates)), Path(args.out))
    print(f"ok: {args.out}")
    return 0


def _cmd_check_inputs(args) -> int:
    """validate, check-specs and verify in one process (one job per study in the workflow)."""
    for step in (_cmd_validate, _cmd_check_specs, _cmd_verify):
        code = step(args)
        if code:
            return code
    return 0


def _cmd_check_specs(args) -> int:
    from .briefs import load_specs
    from .content import load_content
    from .selection import select

    content = load_content(args.data)
    specs = load_specs(Path(args.briefs))
    problems = []
    for spec_file in specs:
        try:
            select(spec_file, content)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    print(f"ok: {len(specs)} brief specs are valid: {', '.join(s.spec.id for s in specs)}")
    return 0


def _cmd_manifest(args) -> int:
    from .manifest import write_manifest

    manifest = write_manifest(Path(args.output), Path(args.briefs), [Path(p) for p in args.records])
    print(f"ok: {args.output}/manifest.json lists {len(manifest['files'])} files")
    return 0


def _measure(args, folder: Path, record: dict, out: Path, spec_file=None, content=None) -> int:
    """Run the quality gates on a built brief's files and write <brief>.qa.json to `out`
    (spec and content as the render loaded them, or read again)."""
    import json

    from .briefs import load_spec
    from .build import write_atomic
    from .content import load_content
    from .manifest import sha256
    from .qa import check_brief, thesis_years

    files = {fmt: folder / f"{args.brief}.{fmt}" for fmt in ("pdf", "docx", "html")}
    spec_file = spec_file or load_spec(Path(args.briefs) / f"{args.brief}.yaml")
    content = content or load_content(args.data)
    report = check_brief(spec_file, content, record, files, Path(args.templates), thesis_years(Path(args.source)))
    result = report.as_dict(set(args.warn_only))
    result["files"] = {fmt: sha256(path) for fmt, path in files.items()}
    write_atomic(out, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"{args.brief}: {result['status']} ({len(report.failures)} of {len(report.measures)} measures failed)")
    return 0


def _cmd_qa(args) -> int:
    import json

    folder = Path(args.dir)
    record = json.loads((folder / f"{args.brief}.build.json").read_text(encoding="utf-8"))
    return _measure(args, folder, record, Path(args.out))


def _cmd_qa_report(args) -> int:
    import json

    from .qa_report import write_report

    results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in sorted(args.results)]
    print(write_report(results, Path(args.output), Path(args.templates)))
    return 0


def _cmd_qa_gate(args) -> int:
    import json

    summary = {}
    for path in args.results:
        result = json.loads(Path(path).read_text(encoding="utf-8"))
        summary[result["brief"]] = result["status"]
    failed = sorted(b for b, status in summary.items() if status == "fail")
    if failed and args.mode == "fail":
        report = Path(args.out).parent.parent / "qa.html"
        print(f"error: quality gates failed for {', '.join(failed)}; see {report} or the table above "
              "(set qa.mode: warn in config/config.yaml to publish anyway)", file=sys.stderr)
        return 1
    Path(args.out).write_text("\n".join(f"{b}: {s}" for b, s in sorted(summary.items())) + "\n", encoding="utf-8")
    return 0


def _published(args) -> dict:
    import json

    return json.loads((Path(args.output) / "build" / "published.json").read_text(encoding="utf-8"))


def _cmd_publish(args) -> int:
    import json

    from .build import write_atomic
    from .publish import publish

    report = publish(Path(args.output), Path(args.briefs), args.brief_ids)
    write_atomic(Path(args.output) / "build" / "published.json", json.dumps(report, indent=2) + "\n")
    held = sorted(b for b, r in report.items() if not r["published"])
    print(f"published {len(report) - len(held)} briefs" + (f"; kept the previous version of {', '.join(held)} (QA failed)" if held else ""))
    return 0


def _cmd_bundles(args) -> int:
    import json

    from .briefs import load_spec
    from .build import write_atomic
    from .publish import bundle, sha256_bytes

    made = {}
    for brief, entry in sorted(_published(args).items()):
        if entry["published"]:
            spec = load_spec(Path(args.briefs) / f"{brief}.yaml").spec
            note = (f"{spec.title}\n{spec.subtitle}\n\nFor: {spec.audience.name}\nSource: R. H. Garza Jr., The U.S. and Mexico: "
                    f"Trading Partners, Reluctant Military Allies (Naval Postgraduate School, 2010), http://hdl.handle.net/10945/5446\n")
            data = bundle(Path(args.output), brief, entry["files"], note)
            write_atomic(Path(args.output) / "bundles" / f"{brief}.zip", data)
            made[brief] = {"path": f"bundles/{brief}.zip", "bytes": len(data), "sha256": sha256_bytes(data)}
    write_atomic(Path(args.output) / "build" / "bundles.json", json.dumps(made, indent=2) + "\n")
    print(f"ok: {len(made)} bundles in {args.output}/bundles")
    return 0


def _cmd_catalogue(args) -> int:
    from .catalogue import build_catalogue

    written = build_catalogue(Path(args.output), Path(args.briefs), Path(args.templates), _published(args), args.base_url, args.title)
    print(f"ok: {args.output}/index.html with {len(written) - 1} cards")
    return 0


def _cmd_drafts(args) -> int:
    import json

    from .briefs import load_specs
    from .build import write_atomic
    from .mail import draft, slug
    from .recipients import load_recipients

    specs = {s.spec.id: s.spec for s in load_specs(Path(args.briefs))}
    published = _published(args)
    written = []
    for recipient in load_recipients(Path(args.recipients), specs):
        entry = published.get(recipient.brief)
        if not entry or not entry["published"]:
            print(f"skipped {recipient.email}: brief '{recipient.brief}' is not published", file=sys.stderr)
            continue
        data = draft(recipient, specs[recipient.brief], entry, Path(args.output), Path(args.templates), args.sender, args.epoch)
        path = Path(args.output) / "mail" / recipient.brief / f"{slug(recipient.organisation)}-{slug(recipient.name)}.eml"
        write_atomic(path, data)
        written.append({"to": recipient.email, "brief": recipient.brief, "path": path.relative_to(args.output).as_posix()})
    write_atomic(Path(args.output) / "build" / "drafts.json", json.dumps(written, indent=2) + "\n")
    print(f"ok: {len(written)} e-mail drafts in {args.output}/mail")
    return 0


def _cmd_send(args) -> int:
    from .mail import send

    drafts = sorted(Path(args.output, "mail").rglob("*.eml"))
    try:
        for line in send(drafts, Path(args.output) / "mail" / "sent.jsonl", args.send):
            print(line)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.send:
        print("dry run: nothing was sent; add --send to deliver (SMTP_* environment variables)")
    return 0


def _cmd_release(args) -> int:
    from .publish import release
    from .workflow import source_date_epoch

    try:
        target = release(Path(args.output), source_date_epoch(Path.cwd(), ["data", "briefs", "templates"]))
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: release {target}")
    return 0


def _cmd_distribute(args) -> int:
    """The gate, then publish, bundles, catalogue, drafts and manifest, in one process (one job)."""
    common = {"output": args.output, "briefs": args.briefs, "templates": args.templates}
    if _cmd_qa_gate(argparse.Namespace(results=args.results, mode=args.mode, out=str(Path(args.output) / "build" / "qa-passed.txt"))):
        return 1  # nothing is published when the gates fail in fail mode
    steps = [
        (_cmd_publish, {"brief_ids": args.brief_ids}),
        (_cmd_bundles, {}),
        (_cmd_catalogue, {"base_url": args.base_url, "title": args.title}),
        (_cmd_drafts, {"recipients": args.recipients, "sender": args.sender, "epoch": args.epoch}),
        (_cmd_manifest, {"records": [str(Path(args.output) / "briefs" / b / f"{b}.build.json") for b in args.brief_ids]}),
    ]
    for step, extra in steps:
        code = step(argparse.Namespace(**common, **extra))
        if code:
            return code
    return 0


def _cmd_library(args) -> int:
    from .library import build_library

    if len(args.studies) != len(args.titles):
        print("error: library: give one --titles entry per --studies entry", file=sys.stderr)
        return 2
    library = build_library(Path(args.output), Path(args.templates), list(zip(args.studies, args.titles)))
    print(f"ok: {args.output}/manifest.json and index.html list {len(library['studies'])} studies")
    return 0


def _cmd_synthetic(args) -> int:
    import yaml

    from .synthetic import make_studies

    dest = Path(args.out).resolve()
    studies = make_studies(Path(args.data), Path(args.briefs), dest, args.count, Path(args.source).resolve(), args.seed)
    config = {"studies": studies, "templates": str(Path(args.templates).resolve()), "output": str(dest / "output")}
    (dest / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"ok: {args.count} studies in {dest}; build them with: "
          f"snakemake --configfile {dest / 'config.yaml'} --replace-workflow-config")
    return 0


def _cmd_preview(args) -> int:
    from .preview import Workspace, serve

    ws = Workspace(Path(args.data), Path(args.briefs), Path(args.templates), Path(args.source))
    print(f"Preview at http://127.0.0.1:{args.port}/ — edit templates, briefs or data and the page reloads. Ctrl-C stops.")
    serve(ws, args.port)
    return 0


def _cmd_check(args) -> int:
    """Everything a template editor touches, without building PDFs: data, specs, templates, catalogues, brand."""
    from .brand import load_brand
    from .briefs import load_specs
    from .content import load_content
    from .i18n import LOCALES, catalogue_path
    from .preview import Workspace, render_web
    from .problems import Problem
    from .qa import catalogue_gaps

    problems: list = []

    def collect(step, *step_args):
        """Run one check; keep its problems and go on, so every problem is reported at once."""
        try:
            return step(*step_args)
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    content = collect(load_content, args.data)
    collect(load_brand, Path(args.templates))
    specs = collect(load_specs, Path(args.briefs)) or []
    for lang in (code for code in LOCALES if code != "en"):
        problems += [Problem(str(catalogue_path(Path(args.templates), lang)), None, None, gap, "untranslated, fuzzy or missing a plural form")
                     for gap in catalogue_gaps(Path(args.templates), lang)]
    if content is not None and not problems:
        ws = Workspace(Path(args.data), Path(args.briefs), Path(args.templates), Path(args.source))
        for spec_file in specs:
            collect(render_web, ws, spec_file.spec.id)
    if problems:
        raise InputError(problems)
    print(f"ok: data, {len(specs)} brief specs, templates, catalogues and brand are valid (no PDF built)")
    return 0


def _cmd_new_brief(args) -> int:
    from .scaffold import new_brief

    path = new_brief(args)
    print(f"ok: wrote {path}; run `policybrief check` to see it render, then `make` to build it")
    return 0


FOLDERS = {"data": "data", "briefs": "briefs", "templates": "templates", "output": "output", "source": str(DEFAULT_SOURCE)}


def _folders(parser: argparse.ArgumentParser, *names: str) -> None:
    """The folder options most commands share, with the project's defaults."""
    for name in names:
        parser.add_argument(f"--{name}", default=FOLDERS[name], help=f"default: {FOLDERS[name]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybrief", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate the data files")
    _folders(p, "data")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("verify", help="check every anchor against the thesis text")
    _folders(p, "data", "source")
    p.set_defaults(func=_cmd_verify)
    p = sub.add_parser("check-inputs", help="validate, check-specs and verify, in one process")
    _folders(p, "data", "briefs", "source")
    p.set_defaults(func=_cmd_check_inputs)
    p = sub.add_parser("check-specs", help="validate every brief spec and its content selection")
    _folders(p, "data", "briefs")
    p.set_defaults(func=_cmd_check_specs)
    p = sub.add_parser("chart", help="draw the study chart (SVG and PNG) for each language")
    _folders(p, "data", "templates")
    p.add_argument("--lang", nargs="+", default=["en", "es"])
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_chart)
    p = sub.add_parser("reference-docx", help="generate the DOCX reference document from templates/brand.yaml")
    _folders(p, "templates")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_reference_docx)
    p = sub.add_parser("render", help="render one brief in all its formats")
    p.add_argument("brief")
    _folders(p, "data", "briefs", "templates")
    p.add_argument("--charts", required=True)
    p.add_argument("--reference-docx", required=True)
    p.add_argument("--out", required=True, help="folder for <brief>.pdf, .docx and .html")
    p.add_argument("--record", required=True, help="where to write the build record (JSON)")
    p.add_argument("--epoch", type=int, required=True, help="SOURCE_DATE_EPOCH for reproducible DOCX")
    p.add_argument("--qa", help="also run the quality gates and write their result to this file")
    _folders(p, "source")
    p.add_argument("--warn-only", nargs="*", default=[], help="gates that warn instead of failing (for --qa)")
    p.set_defaults(func=_cmd_render)
    p = sub.add_parser("qa", help="measure one built brief against its quality gates")
    p.add_argument("brief")
    _folders(p, "data", "briefs", "templates", "source")
    p.add_argument("--dir", required=True, help="folder holding the brief's files and build record")
    p.add_argument("--out", required=True, help="where to write <brief>.qa.json")
    p.add_argument("--warn-only", nargs="*", default=[], help="gates that warn instead of failing")
    p.set_defaults(func=_cmd_qa)
    p = sub.add_parser("qa-report", help="summarise QA results: table, <output>/qa.html")
    _folders(p, "output", "templates")
    p.add_argument("results", nargs="+")
    p.set_defaults(func=_cmd_qa_report)
    p = sub.add_parser("qa-gate", help="fail when any brief failed its gates (mode fail)")
    p.add_argument("results", nargs="+", help="the briefs' .qa.json files")
    p.add_argument("--mode", choices=["fail", "warn"], default="fail")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_qa_gate)
    p = sub.add_parser("publish", help="copy briefs that passed QA into <output>/published (atomically)")
    _folders(p, "output", "briefs")
    p.add_argument("brief_ids", nargs="+")
    p.set_defaults(func=_cmd_publish)
    p = sub.add_parser("bundles", help="one deterministic zip per published brief")
    _folders(p, "output", "briefs")
    p.set_defaults(func=_cmd_bundles)
    p = sub.add_parser("catalogue", help="write <output>/index.html (a study's catalogue)")
    _folders(p, "output", "briefs", "templates")
    p.add_argument("--base-url", default="", help="public URL of the catalogue, for Open Graph tags")
    p.add_argument("--title", default="Policy briefs")
    p.set_defaults(func=_cmd_catalogue)
    p = sub.add_parser("drafts", help="write one .eml draft per recipient")
    _folders(p, "output", "briefs", "templates")
    p.add_argument("--recipients", default="data/distribution.csv")
    p.add_argument("--sender", required=True)
    p.add_argument("--epoch", type=int, required=True)
    p.set_defaults(func=_cmd_drafts)
    p = sub.add_parser("send", help="deliver the drafts over SMTP (dry run unless --send)")
    _folders(p, "output")
    p.add_argument("--send", action="store_true", help="really send (settings from SMTP_* environment variables)")
    p.set_defaults(func=_cmd_send)
    p = sub.add_parser("release", help="freeze the published briefs into output/releases/<date>-<hash>")
    _folders(p, "output")
    p.set_defaults(func=_cmd_release)
    p = sub.add_parser("preview", help="live preview on http://127.0.0.1:PORT/")
    _folders(p, "data", "briefs", "templates", "source")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=_cmd_preview)
    p = sub.add_parser("check", help="check data, specs, templates, catalogues and brand without building PDFs")
    _folders(p, "data", "briefs", "templates", "source")
    p.set_defaults(func=_cmd_check)
    p = sub.add_parser("new-brief", help="write a commented brief spec from flags (or questions)")
    _folders(p, "briefs", "data")
    p.add_argument("--id")
    p.add_argument("--audience", help="who the brief is for")
    p.add_argument("--language", choices=["en", "es"])
    p.add_argument("--pages", type=int, help="maximum pages")
    p.add_argument("--tags", help="finding tags to select, comma-separated (see data/vocabulary.yaml)")
    p.add_argument("--title")
    p.set_defaults(func=_cmd_new_brief)
    p = sub.add_parser("distribute", help="gate, publish, bundle, catalogue, draft e-mail and write the manifest")
    _folders(p, "output", "briefs", "templates")
    p.add_argument("--mode", choices=["fail", "warn"], default="fail")
    p.add_argument("--recipients", default="data/distribution.csv")
    p.add_argument("--sender", required=True)
    p.add_argument("--epoch", type=int, required=True)
    p.add_argument("--base-url", default="")
    p.add_argument("--title", default="Policy briefs")
    p.add_argument("--brief-ids", nargs="+", required=True)
    p.add_argument("--results", nargs="+", required=True, help="the briefs' .qa.json files")
    p.set_defaults(func=_cmd_distribute)
    p = sub.add_parser("synthetic", help="generate synthetic studies (for scale benchmarks) and a config for them")
    _folders(p, "data", "briefs", "templates", "source")
    p.add_argument("--count", type=int, required=True, help="how many studies")
    p.add_argument("--out", required=True, help="new folder for the studies and config.yaml")
    p.add_argument("--seed", type=int, default=2010)
    p.set_defaults(func=_cmd_synthetic)
    p = sub.add_parser("library", help="write output/manifest.json and output/index.html: every study")
    _folders(p, "output", "templates")
    p.add_argument("--studies", nargs="+", required=True, help="study ids (folders under --output)")
    p.add_argument("--titles", nargs="+", required=True, help="one title per study, in the same order")
    p.set_defaults(func=_cmd_library)
    p = sub.add_parser("manifest", help="write output/<study>/manifest.json from the build records")
    _folders(p, "output", "briefs")
    p.add_argument("records", nargs="+", help="build records written by `render`")
    p.set_defaults(func=_cmd_manifest)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc.report()}", file=sys.stderr)
        return 1
    except OSError as exc:
        # Disk full, read-only folder, missing file: say which file and why, without a traceback.
        where = f" '{exc.filename}'" if exc.filename else ""
        print(f"error: {args.command}: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
