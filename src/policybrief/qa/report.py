"""Per-brief QA results gathered into one summary: a terminal table, an HTML page and a gate."""

from __future__ import annotations

import json
from pathlib import Path

from policybrief.core.files import read_json, write_atomic
from policybrief.render.templating import environment, render

COLUMNS = ("brief", "pages", "words", "reading level", "records", "status")


def row(result: dict) -> dict[str, str]:
    measures = {m["measure"]: m for m in result["measures"]}
    scores = result["scores"]
    pages = measures["pdf pages"]
    words = measures["words"]
    reading = measures[scores["reading_index"]]
    records = sum(len(v) for v in result["records"].values())
    return {
        "brief": result["brief"],
        "pages": f"{scores['pages']}/{pages['limit'].lstrip('<= ')}",
        "words": f"{scores['words']}/{words['limit'].lstrip('<= ')}",
        "reading level": f"{scores['reading_level']} ({reading['limit']})",
        "records": str(records),
        "status": result["status"].upper(),
    }


def table(results: list[dict]) -> str:
    rows = [dict(zip(COLUMNS, COLUMNS, strict=True))] + [row(r) for r in results]
    widths = {c: max(len(r[c]) for r in rows) for c in COLUMNS}
    lines = ["  ".join(r[c].ljust(widths[c]) for c in COLUMNS).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * widths[c] for c in COLUMNS))
    for result in results:
        for m in result["measures"]:
            if not m["passed"]:
                lines.append(("FAIL " if result["status"] == "fail" else "WARN ") + m["message"])
    return "\n".join(lines)


def write_report(results: list[dict], output_dir: Path, templates: Path) -> str:
    html = render(environment(templates), "qa.html.j2", {"results": results, "rows": [row(r) for r in results], "columns": COLUMNS},
                  templates)
    write_atomic(output_dir / "qa.html", html)
    summary = {"briefs": {r["brief"]: r["status"] for r in results}, "table": table(results)}
    write_atomic(output_dir / "build" / "qa-summary.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary["table"]


def report_command(output: str, templates: str, results: list[str]) -> int:
    """`policybrief qa-report`: the study's QA page and the summary table the workflow prints last."""
    print(write_report([read_json(Path(p)) for p in sorted(results)], Path(output), Path(templates)))
    return 0
