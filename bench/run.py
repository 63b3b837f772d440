"""Benchmarks, all measured in one run on this machine, as medians of several runs and as ratios.

  python bench/run.py [--runs 3] [--scale 1,10,50]      (or: make bench)

Writes bench/results.md, bench/results.csv and bench/profile-render.txt (pyinstrument, one render job). Timings are wall-clock seconds; the machine is
shared and noisy, so compare ratios from the same run rather than absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = (ROOT.parent / "shared" / "seed" / "thesis-garza-2010.md").resolve()
SKIP = shutil.ignore_patterns(".venv", "output", ".snakemake", "__pycache__", ".pytest_cache", "*.egg-info", ".cluster-logs")


SOURCE_CONFIG = f"studies={{garza-2010: {{source: '{SOURCE}'}}}}"
# Runs a command and prints the largest resident set of any process in its tree (RUSAGE_CHILDREN).
PEAK = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); sys.exit(code)")


def snakemake(project: Path, *extra: str, config: tuple[str, ...] = ("--config", SOURCE_CONFIG)) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all", *extra, *config],
                          cwd=project, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"snakemake failed in {project}:\n{done.stderr[-2000:]}")
    return elapsed


def median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def edit(path: Path, counter: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n# bench edit {counter}\n" if path.suffix == ".yaml" else f"\n/* bench edit {counter} */\n")


def workflow_timings(runs: int) -> dict[str, float]:
    results: dict[str, list[float]] = {k: [] for k in ("clean build", "no-op rebuild", "edit one brief spec",
                                                         "edit one shared template", "edit one data file")}
    for run in range(runs):
        project = Path(tempfile.mkdtemp(prefix="bench-")) / "project"
        shutil.copytree(ROOT, project, ignore=SKIP)
        results["clean build"].append(snakemake(project))
        results["no-op rebuild"].append(snakemake(project))
        edit(project / "briefs" / "press.yaml", run)
        results["edit one brief spec"].append(snakemake(project))
        edit(project / "templates" / "brief.css", run)
        results["edit one shared template"].append(snakemake(project))
        edit(project / "data" / "findings.yaml", run)
        results["edit one data file"].append(snakemake(project))
        shutil.rmtree(project.parent)
    return {k: median(v) for k, v in results.items()}


def rendered_inputs(folder: Path) -> list[tuple[str, Path, Path]]:
    """The exact HTML our templates produce for print and for DOCX, saved so renderers can be timed alone."""
    sys.path.insert(0, str(ROOT / "src"))
    from policybrief.render.pipeline import Paths, build_brief

    captured: dict[str, str] = {}
    import policybrief.render.pdf as pdf_module
    import policybrief.render.to_docx as docx_module

    original_pdf, original_docx = pdf_module.render_pdf, docx_module.html_to_docx

    def keep_pdf(html, base):
        captured["print"] = html
        return original_pdf(html, base)

    def keep_docx(html, reference, epoch):
        captured["docx"] = html
        return original_docx(html, reference, epoch)

    pdf_module.render_pdf, docx_module.html_to_docx = keep_pdf, keep_docx
    charts, reference = folder / "charts", folder / "reference.docx"
    subprocess.run([sys.executable, "-m", "policybrief", "chart", "--out", str(charts)], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "policybrief", "reference-docx", "--out", str(reference)], cwd=ROOT, check=True, capture_output=True)
    paths = Paths(ROOT / "data", ROOT / "briefs", ROOT / "templates", charts, reference)
    inputs = []
    for spec in sorted((ROOT / "briefs").glob("*.yaml")):
        build_brief(spec.stem, paths, folder / "out", folder / "out" / f"{spec.stem}.json", 1267401600)
        (folder / f"{spec.stem}.print.html").write_text(captured["print"], encoding="utf-8")
        (folder / f"{spec.stem}.docx.html").write_text(captured["docx"], encoding="utf-8")
        inputs.append((spec.stem, folder / f"{spec.stem}.print.html", folder / f"{spec.stem}.docx.html"))
    pdf_module.render_pdf, docx_module.html_to_docx = original_pdf, original_docx
    return inputs


def floor(inputs, reference: Path, runs: int) -> float:
    """WeasyPrint and pandoc alone, in one warm process, two workers: the renderers' own cost."""
    import pypandoc
    from weasyprint import HTML

    templates = ROOT / "templates"

    def one(item):
        _brief, print_html, docx_html = item
        HTML(filename=str(print_html), base_url=str(templates) + "/").write_pdf()
        pypandoc.convert_file(str(docx_html), "docx", format="html", outputfile=str(docx_html.with_suffix(".floor.docx")),
                              extra_args=["--reference-doc", str(reference)])

    one(inputs[0])  # warm-up: fonts, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(one, inputs))
        times.append(time.perf_counter() - started)
    return median(times)


def naive(inputs, reference: Path, runs: int) -> float:
    """One process per output through the weasyprint and pandoc command lines, two at a time."""
    import pypandoc

    bin_dir = Path(sys.executable).parent
    pandoc = pypandoc.get_pandoc_path()
    commands = []
    for _brief, print_html, docx_html in inputs:
        commands.append([str(bin_dir / "weasyprint"), "--base-url", str(ROOT / "templates") + "/", str(print_html), str(print_html.with_suffix(".naive.pdf"))])
        commands.append([pandoc, str(docx_html), "-f", "html", "-o", str(docx_html.with_suffix(".naive.docx")), "--reference-doc", str(reference)])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda c: subprocess.run(c, capture_output=True, check=True), commands))
        times.append(time.perf_counter() - started)
    return median(times)


def scale(counts: list[int]) -> list[tuple[str, float, str]]:
    """Synthetic studies x 6 briefs, built by the real workflow: time per brief and memory."""
    rows = []
    for count in counts:
        folder = Path(tempfile.mkdtemp(prefix=f"bench-scale-{count}-"))
        project = folder / "project"
        shutil.copytree(ROOT, project, ignore=SKIP)
        studies = project / "studies"  # inside the project: the workflow reads no data from outside it
        subprocess.run([sys.executable, "-m", "policybrief", "synthetic", "--count", str(count), "--out", str(studies),
                        "--source", str(SOURCE)], cwd=project, check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PEAK, sys.executable, "-m", "snakemake", "--cores", "2", "--quiet", "all",
                               "--configfile", str(studies / "config.yaml"), "--replace-workflow-config"],
                              cwd=project, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"scale run of {count} studies failed:\n{done.stderr[-2000:]}")
        largest = int(done.stderr.strip().splitlines()[-1])
        logs = list((studies / "output" / "logs").glob("*/render/*.log"))
        jobs = [int(m.group(1)) for log in logs for m in [re.search(r"peak memory: (\d+) MB", log.read_text(encoding="utf-8"))] if m]
        briefs = count * 6
        assert len(jobs) == briefs, f"expected {briefs} render logs with a peak, found {len(jobs)}"
        rows.append((f"scale: {count} {'study' if count == 1 else 'studies'} × 6 briefs ({briefs * 3} outputs)", round(elapsed, 2),
                     f"{elapsed / briefs:.2f} s per brief, {elapsed / (briefs * 3):.2f} s per output; render job peak "
                     f"{max(jobs)} MB (median {int(statistics.median(jobs))} MB); largest process {largest} MB"))
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def profile_render() -> str:
    """pyinstrument over one render job (congress, all formats + QA) after a clean build; the top of the tree."""
    project = Path(tempfile.mkdtemp(prefix="bench-profile-")) / "project"
    shutil.copytree(ROOT, project, ignore=SKIP)
    snakemake(project)
    out, study = project / "profile", project / "output" / "garza-2010"
    report = ROOT / "bench" / "profile-render.txt"
    subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report), "-m", "policybrief", "render", "congress",
                    "--charts", str(study / "build" / "charts"), "--reference-docx", str(project / "output" / "build" / "reference.docx"),
                    "--out", str(out), "--record", str(out / "r.json"), "--qa", str(out / "qa.json"), "--source", str(SOURCE),
                    "--epoch", "1267401600"], cwd=project, check=True, capture_output=True)
    shutil.rmtree(project.parent, ignore_errors=True)
    text = report.read_text(encoding="utf-8")
    report.write_text(re.sub(r"/tmp/bench-profile-\w+/project/", "", text), encoding="utf-8")
    return text


def quarto_available() -> str | None:
    if shutil.which("quarto"):
        return shutil.which("quarto")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "quarto-cli"], capture_output=True, text=True, timeout=300, check=False)
    candidate = Path(sys.executable).parent / "quarto"
    return str(candidate) if done.returncode == 0 and candidate.exists() else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="1,10,50", help="numbers of synthetic studies (6 briefs each); empty skips")
    args = parser.parse_args(argv)
    rows = []
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    print("rendering the inputs for the floor and the naive baseline…", flush=True)
    inputs = rendered_inputs(work)
    reference = work / "reference.docx"
    print("floor…", flush=True)
    floor_s = floor(inputs, reference, args.runs)
    print("naive baseline…", flush=True)
    naive_s = naive(inputs, reference, args.runs)
    print("workflow (clean, no-op, edits)…", flush=True)
    flow = workflow_timings(args.runs)
    print("profile of one render job…", flush=True)
    profile = profile_render()
    counts = [int(n) for n in args.scale.split(",") if n.strip()]
    print(f"scale: {counts} synthetic studies…", flush=True)
    scaled = scale(counts)
    quarto = quarto_available()
    clean = flow["clean build"]
    for name, seconds in flow.items():
        rows.append((name, seconds, ""))
    rows += [
        ("floor: WeasyPrint + pandoc only, one warm process", floor_s, f"clean build = {clean / floor_s:.2f}× floor (target ≤ 1.3×)"),
        ("naive: one process per output (CLIs)", naive_s, f"naive = {naive_s / clean:.2f}× clean build (target ≥ 3×)"),
        ("Quarto", None, "skipped: " + ("found at " + quarto if quarto else "quarto-cli is not installable here (it downloads its binary at install time)")),
    ] + scaled
    machine = f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = ["# Benchmark results\n", f"Machine: {machine}. Medians of {args.runs} runs, 6 briefs × (PDF, DOCX, HTML).\n",
             "| measurement | seconds | note |", "|---|---|---|"]
    lines += [f"| {name} | {'' if s is None else f'{s:.2f}'} | {note} |" for name, s, note in rows]
    lines.append(f"\nNo-op rebuild target ≤ 1.5 s: {flow['no-op rebuild']:.2f} s.")
    # The first three levels of the call tree: imports, rendering and QA side by side.
    top = [line for line in profile.splitlines() if re.match(r"^[\s│├└─]{0,12}\d+\.\d{3} ", line)]
    lines += ["\nWhere one render job's time goes (pyinstrument; full tree in bench/profile-render.txt):\n", "```",
              *[re.sub(r"/tmp/bench-profile-\w+/project/", "", line) for line in top], "```"]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    with (ROOT / "bench" / "results.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["measurement", "seconds", "note"])
        writer.writerows(rows)
    print(text)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
