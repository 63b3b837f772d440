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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybrief", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate the data files")
    p.add_argument("--data", default="data", help="data folder (default: data)")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("verify", help="check every anchor against the thesis text")
    p.add_argument("--data", default="data")
    p.add_argument("--source", default=str(DEFAULT_SOURCE), help="the thesis as Markdown/text")
    p.set_defaults(func=_cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc.report()}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
