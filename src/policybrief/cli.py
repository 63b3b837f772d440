"""Command line: `policybrief validate | verify | render | distribute | ...`.

This module only parses arguments: each command names one function (imported when the command
runs, so a job pays only for the imports it uses), called with the parsed options as keywords.
Every command exits 0 on success, 1 when an input is wrong (with a message naming file, line,
record and field) and never shows a traceback for bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from policybrief.core.problems import InputError

FOLDERS = {"data": "data", "briefs": "briefs", "templates": "templates", "output": "output",
           "source": "../shared/seed/thesis-garza-2010.md"}


def _opt(*flags: str, **kwargs) -> tuple[tuple[str, ...], dict]:
    return flags, kwargs


# The brand as the `brand` job checked it; without it a command reads templates/_brand.yml itself.
BRAND = _opt("--brand", help="the brand as JSON, written by `policybrief brand` (default: read the templates' _brand.yml)")


# name: (function, help, shared folder options, command-specific options)
COMMANDS: dict[str, tuple[str, str, tuple[str, ...], list]] = {
    "validate": ("content.loading:validate_data", "validate the data files", ("data",), []),
    "verify": ("content.verify:verify_source", "check every anchor and evidence passage against the thesis text",
               ("data", "source"), []),
    "check-inputs": ("spec.selection:check_inputs", "validate data and specs, verify the evidence, in one process",
                     ("data", "briefs", "source"), []),
    "check-specs": ("spec.selection:check_specs", "validate every brief spec and its content selection", ("data", "briefs"), []),
    "brand": ("render.brand_file:write_brand", "check the brand file and write it as JSON for the other jobs", ("templates",), [
        _opt("--out", required=True)]),
    "chart": ("render.charts:draw_charts", "draw the study chart (SVG and PNG) for each language", ("data", "templates"), [
        _opt("--lang", nargs="+", default=["en", "es"]),
        _opt("--out", required=True)]),
    "reference-docx": ("render.reference_docx:write_reference_docx", "generate the DOCX reference document from the brand",
                       ("templates",), [_opt("--out", required=True), BRAND]),
    "render": ("qa.job:render_and_measure", "render briefs in all their formats and measure them",
               ("data", "briefs", "templates", "source"), [
        _opt("brief", nargs="+", help="brief ids (of one study)"),
        _opt("--charts", required=True, help="folder holding <lang>/cooperation.svg and .png"),
        _opt("--reference-docx", required=True),
        BRAND,
        _opt("--out", required=True, help="folder for <brief>/<brief>.{pdf,docx,html,build.json,qa.json}"),
        _opt("--epoch", type=int, required=True, help="SOURCE_DATE_EPOCH: the study's own date, for reproducible files"),
        _opt("--warn-only", nargs="*", default=[], help="gates that warn instead of failing"),
        _opt("--workers", type=int, default=1, help="processes rendering in parallel (Snakemake passes the job's threads)")]),
    "qa": ("qa.job:measure_built", "measure one built brief against its quality gates",
           ("data", "briefs", "templates", "source"), [
        _opt("brief"),
        _opt("--dir", required=True, help="folder holding the brief's files and build record"),
        _opt("--out", required=True, help="where to write <brief>.qa.json"),
        _opt("--warn-only", nargs="*", default=[], help="gates that warn instead of failing")]),
    "thesis-html": ("qa.factcheck:write_thesis_html", "the thesis text as HTML, for the fact-check sheets' links",
                    ("data", "source", "templates"), [_opt("--out", required=True)]),
    "sign-off": ("qa.review:sign_off", "record that a person fact-checked a brief as last built", ("data", "output"), [
        _opt("brief"),
        _opt("--reviewer", required=True, help="the name of the person who checked every sentence")]),
    "qa-report": ("qa.report:report_command", "summarise QA results: table, <output>/qa.html", ("output", "templates"), [
        _opt("results", nargs="+")]),
    "distribute": ("distribute.pipeline:distribute", "gate, publish, bundle, catalogue, draft e-mail and write the manifest",
                   ("output", "briefs", "templates", "data"), [
        _opt("--mode", choices=["fail", "warn"], default="fail"),
        _opt("--recipients", default="data/distribution.csv"),
        _opt("--sender", required=True),
        _opt("--epoch", type=int, required=True),
        _opt("--base-url", default=""),
        _opt("--title", default="Policy briefs"),
        _opt("--brief-ids", nargs="+", required=True),
        _opt("--results", nargs="+", required=True, help="the briefs' .qa.json files"),
        _opt("--stamp", required=True, help="written last, naming the edition published (the rule's output)"),
        BRAND,
        _opt("--review-mode", choices=["warn", "required"], default="warn",
             help="publish briefs nobody has fact-checked (marked so), or hold them back")]),
    "send": ("distribute.smtp:send_command", "deliver the drafts the manifest lists over SMTP (dry run unless --send)", ("output",), [
        _opt("--send", dest="deliver", action="store_true", help="really send (settings from SMTP_* environment variables)"),
        _opt("--resend-unknown", action="store_true",
             help="also send messages whose earlier attempt had an unknown outcome (the connection dropped after the server took it)"),
        _opt("--recipients", help="the recipients file to check each draft against (default: the one the drafts were made from)")]),
    "release": ("distribute.publish:release_command", "freeze the published briefs into <output>/releases/<date>-<hash>",
                ("output",), []),
    "library": ("distribute.library:library_command", "write output/manifest.json and output/index.html: every study",
                ("output", "templates"), [
        _opt("--studies", nargs="+", required=True, help="study ids (folders under --output)"),
        _opt("--titles", nargs="+", required=True, help="one title per study, in the same order"),
        _opt("--stamp", required=True, help="written last (the rule's output)"),
        BRAND]),
    "synthetic": ("content.synthetic:synthetic_command", "generate synthetic studies (for scale benchmarks) and a config",
                  ("data", "briefs", "templates", "source"), [
        _opt("--count", type=int, required=True, help="how many studies"),
        _opt("--out", required=True, help="new folder for the studies and config.yaml"),
        _opt("--seed", type=int, default=2010)]),
    "preview": ("edit.preview:preview_command", "live preview on http://127.0.0.1:PORT/",
                ("data", "briefs", "templates", "source"), [_opt("--port", type=int, default=8000)]),
    "check": ("edit.check:check_project", "check data, specs, templates, catalogues and brand without building PDFs",
              ("data", "briefs", "templates", "source"), []),
    "list": ("edit.listing:list_ids", "list finding, recommendation, figure, tag and actor ids with the briefs that print each",
             ("data", "briefs"), []),
    "new-brief": ("edit.scaffold:new_brief_command", "write a commented brief spec from flags (or questions)",
                  ("briefs", "data"), [
        _opt("--id"),
        _opt("--audience", help="who the brief is for"),
        _opt("--language", choices=["en", "es"]),
        _opt("--pages", type=int, help="maximum pages"),
        _opt("--tags", help="finding tags to select, comma-separated (see data/vocabulary.yaml)"),
        _opt("--title")]),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybrief", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (target, help_text, folders, options) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        for folder in folders:
            p.add_argument(f"--{folder}", default=FOLDERS[folder], help=f"default: {FOLDERS[folder]}")
        for flags, kwargs in options:
            p.add_argument(*flags, **kwargs)
        p.set_defaults(target=target)
    return parser


def _function(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(f"policybrief.{module}"), name)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in ("command", "target")}
    try:
        return _function(args.target)(**options)
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
