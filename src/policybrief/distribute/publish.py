"""What the next edition publishes, decided and verified before anything is written; releases.

Snakemake deletes a job's declared outputs when the job starts and when it fails, so files under
output/<study>/briefs are scratch. A brief built in this run is published when its QA passed (pass
or warn) and its files are exactly the ones QA measured (their sha256 is in the QA result). Every
other brief that has a spec keeps its previous publication, verified against the sha256 recorded
for it (a damaged copy is replaced by the build's copy when that still has the recorded digest, or
the publication is refused). A brief whose spec is gone, or a format its spec no longer lists, is
withdrawn: it leaves the edition (it stays in earlier releases) and the manifest says when.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from policybrief.core.files import deterministic_zip, read_json, sha256, sha256_bytes, write_atomic, write_json
from policybrief.core.problems import InputError, Problem, display_path
from policybrief.qa.extract import extract, pdf_pages, word_count
from policybrief.spec.specs import BriefSpec, load_specs

from .edition import current_edition, read_current_manifest


@dataclass
class Source:
    """A file of the next edition: where its bytes are now and the sha256 they must have."""

    path: Path
    sha256: str

    def read(self) -> bytes:
        data = self.path.read_bytes()
        if sha256_bytes(data) != self.sha256:  # changed since it was checked: never publish that
            raise InputError([Problem(display_path(self.path), None, None, None,
                                      f"changed while publishing (sha256 {sha256_bytes(data)}, expected {self.sha256})")])
        return data


@dataclass
class Brief:
    """One published brief of the next edition."""

    record: dict  # the manifest's `briefs` entry: what the catalogue and the e-mails say about it
    sources: dict[str, Source]  # edition path -> source: the brief's files and its QA result
    files: list[dict]  # the manifest's `files` entries: the build the published files came from
    inputs: dict


@dataclass
class Plan:
    briefs: dict[str, Brief] = field(default_factory=dict)
    held_back: list[str] = field(default_factory=list)
    withdrawn: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    specs: dict[str, BriefSpec] = field(default_factory=dict)  # every spec of the study, built or not


def brief_path(brief: str, fmt: str) -> str:
    return f"published/{brief}/{brief}.{fmt}"


def plan_publication(study: Path, briefs_dir: Path, built: list[str], date: str, today: str) -> Plan:
    """The next edition's briefs: built ones that passed QA, the previous publication of every other
    brief that still has a spec, and what is withdrawn. Raises InputError (all problems at once)
    when a previously published file is damaged and no good copy is left."""
    specs = {s.spec.id: s.spec for s in load_specs(briefs_dir)}
    try:
        previous = read_current_manifest(study) or {"briefs": [], "published": [], "files": [], "inputs": {}, "withdrawn": []}
    except (OSError, ValueError) as exc:
        raise InputError([Problem(display_path(study / "current" / "manifest.json"), None, None, None,
                                  f"the current publication cannot be read ({exc}); move {study / 'current'} aside to start afresh")]) from None
    legacy = study / "manifest.json"
    if current_edition(study) is None and legacy.is_file() and not legacy.is_symlink() and set(built) != set(specs):
        raise InputError([Problem(display_path(legacy), None, None, None, "the published set predates editions and cannot be "
                                  "carried over brief by brief; build every brief once (without `only`)")])
    before = {r["id"]: r for r in previous["briefs"]}
    plan, problems = Plan(specs=specs), []
    for brief_id, spec in sorted(specs.items()):
        if brief_id in built:
            fresh, files, inputs = _from_build(study, spec, date)
            plan.files += files
            plan.inputs[brief_id] = inputs
            if fresh is not None:
                plan.briefs[brief_id] = fresh
                continue
            plan.held_back.append(brief_id)
        if brief_id in before:
            kept = _carried(study, spec, before[brief_id], previous, problems, plan.notes)
            plan.briefs[brief_id] = kept
            if brief_id not in built:
                plan.files += kept.files
                plan.inputs[brief_id] = kept.inputs
    if problems:
        raise InputError(problems)
    plan.withdrawn = _withdrawn(previous, plan, specs, today)
    return plan


def _from_build(study: Path, spec: BriefSpec, date: str) -> tuple[Brief | None, list[dict], dict]:
    """This run's build of a brief: publishable only if QA passed and measured exactly these files."""
    folder = study / "briefs" / spec.id
    qa_path, record_path = folder / f"{spec.id}.qa.json", folder / f"{spec.id}.build.json"
    qa, build = read_json(qa_path), read_json(record_path)
    digests = {fmt: sha256(folder / f"{spec.id}.{fmt}") for fmt in spec.formats}
    measured = all(qa["files"].get(fmt) == digest for fmt, digest in digests.items())
    status = qa["status"] if measured else "unchecked"
    files = [_file_entry(study, spec, folder / f"{spec.id}.{fmt}", digest, qa, qa_path, status) for fmt, digest in digests.items()]
    if status not in ("pass", "warn"):
        return None, files, build["inputs"]
    qa_digest = sha256(qa_path)
    sources = {brief_path(spec.id, fmt): Source(folder / f"{spec.id}.{fmt}", digest) for fmt, digest in digests.items()}
    sources[brief_path(spec.id, "qa.json")] = Source(qa_path, qa_digest)
    record = _record(spec, qa, qa_digest, date)
    sheet = folder / f"{spec.id}.factcheck.json"
    record["claims_sha256"] = read_json(sheet)["claims_sha256"] if sheet.is_file() else None
    return Brief(record, sources, files, build["inputs"]), files, build["inputs"]


def _file_entry(study: Path, spec: BriefSpec, path: Path, digest: str, qa: dict, qa_path: Path, status: str) -> dict:
    fmt = path.suffix.lstrip(".")
    measured = qa["files"].get(fmt) == digest  # QA's numbers describe exactly this file
    return {
        "brief": spec.id, "audience": spec.audience.name, "language": spec.language, "format": fmt,
        "path": path.relative_to(study).as_posix(), "bytes": path.stat().st_size, "sha256": digest,
        "pages": (qa["scores"]["pages"] if measured else pdf_pages(path)) if fmt == "pdf" else None,
        "max_pages": spec.max_pages,
        "words": qa["scores"]["words"] if fmt == "pdf" and measured else word_count(extract(path)),
        "qa": qa_path.relative_to(study).as_posix(), "qa_status": status,
    }


def _record(spec: BriefSpec, qa: dict, qa_digest: str, date: str) -> dict:
    """What the catalogue and the e-mails say about a published brief, fixed when it is published (a
    later spec edit that is not built yet changes nothing the reader is told about these files)."""
    scores = qa["scores"]
    return {
        "id": spec.id, "title": spec.title, "subtitle": spec.subtitle, "audience": spec.audience.model_dump(),
        "language": spec.language, "formats": list(spec.formats), "max_pages": spec.max_pages,
        "bottom_line": spec.framing.bottom_line, "date": date,
        "qa": {"path": brief_path(spec.id, "qa.json"), "sha256": qa_digest, "status": qa["status"],
               "pages": scores["pages"], "words": scores["words"], "reading_level": scores["reading_level"],
               "reading_index": scores["reading_index"]},
    }


def good_copy(study: Path, brief: str, path: str, digest: str) -> Path | None:
    """A copy of a published file with the digest recorded for it: the served one, else the build's."""
    name = Path(path).name
    for candidate in (Path(study) / path, Path(study) / "briefs" / brief / name):
        if candidate.is_file() and sha256(candidate) == digest:
            return candidate
    return None


def _carried(study: Path, spec: BriefSpec, record: dict, previous: dict, problems: list[Problem], notes: list[str]) -> Brief:
    """The previous publication of a brief, verified file by file, narrowed to the formats its spec still lists."""
    formats = [f for f in record["formats"] if f in spec.formats]
    entries = {e["format"]: e for e in previous["published"] if e["brief"] == spec.id}
    missing = [f for f in spec.formats if f not in record["formats"]]
    if missing:
        notes.append(f"{spec.id}: {', '.join(missing)} will be published when {spec.id} is built")
    wanted = {brief_path(spec.id, f): entries[f]["sha256"] for f in formats}
    wanted[record["qa"]["path"]] = record["qa"]["sha256"]
    sources = {}
    for path, digest in wanted.items():
        copy = good_copy(study, spec.id, path, digest)
        if copy is None:
            problems.append(Problem(path, None, spec.id, None, f"is damaged or missing and no copy with the published sha256 {digest} "
                                    f"is left; rebuild it: snakemake --config only='[{spec.id}]'"))
        else:
            sources[path] = Source(copy, digest)
            if copy != Path(study) / path:
                notes.append(f"repaired {path} from the build (it did not match its sha256)")
    qa_source = sources.get(record["qa"]["path"])
    if qa_source is not None:
        measured = json.loads(qa_source.path.read_text(encoding="utf-8"))["files"]
        problems += [Problem(brief_path(spec.id, f), None, spec.id, None, "is not the file its QA result measured")
                     for f in formats if measured.get(f) != entries[f]["sha256"]]
    files = [f for f in previous["files"] if f["brief"] == spec.id and f["format"] in formats]
    return Brief({**record, "formats": formats}, sources, files, previous["inputs"].get(spec.id, {}))


def _withdrawn(previous: dict, plan: Plan, specs: dict[str, BriefSpec], today: str) -> list[dict]:
    """Files the previous edition published and this one does not, dated today, after earlier withdrawals."""
    now = {path for brief in plan.briefs.values() for path in brief.sources}
    earlier = [w for w in previous["withdrawn"] if w["path"] not in now]
    new = [{"brief": e["brief"], "format": e["format"], "path": e["path"], "sha256": e["sha256"], "withdrawn": today,
            "reason": "the brief's spec was removed" if e["brief"] not in specs else f"{e['format']} was dropped from the spec"}
           for e in previous["published"] if e["path"] not in now]
    return earlier + new


def bundle(brief: str, files: dict[str, bytes], note: str) -> bytes:
    """A zip of the brief's PDF and DOCX plus a README note; fixed entry times and order."""
    entries = {"README.txt": note.encode("utf-8")}
    entries |= {f"{brief}.{fmt}": files[fmt] for fmt in ("pdf", "docx") if fmt in files}
    return deterministic_zip([(f"{brief}/{name}", entries[name]) for name in sorted(entries)])


def verify_for_release(study: Path) -> tuple[dict, Path, list[str]]:
    """The current edition's manifest and folder, after checking every published file against the sha256
    its QA result measured; a damaged file is restored from the build when the build still has it."""
    manifest = read_current_manifest(study)
    if manifest is None:
        raise FileNotFoundError(f"nothing published in {study}; run the workflow first")
    edition = current_edition(study)
    restored, problems = [], []
    qa_results = {b["id"]: b["qa"] for b in manifest["briefs"]}
    for entry in [*manifest["published"], *({"brief": b, **qa} for b, qa in qa_results.items())]:
        path, digest = entry["path"], entry["sha256"]
        if (edition / path).is_file() and sha256(edition / path) == digest:
            continue
        copy = good_copy(study, entry["brief"], path, digest)
        if copy is None:
            problems.append(Problem(path, None, entry["brief"], None, f"does not match the sha256 {digest} QA measured and no good copy "
                                    "is left; run `make` to rebuild it, then release"))
            continue
        write_atomic(edition / path, copy.read_bytes())
        restored.append(path)
    for entry in manifest["published"]:
        measured = read_json(edition / qa_results[entry["brief"]]["path"])["files"].get(entry["format"])
        if measured != entry["sha256"]:
            problems.append(Problem(entry["path"], None, entry["brief"], None, "is not the file its QA result measured"))
    if problems:
        raise InputError(problems)
    return manifest, edition, restored


def release(study: Path, made_at: int, provenance: dict) -> Path:
    """An immutable folder <study>/releases/<date>-<hash>/ with the published briefs and their QA results
    (each verified first), the manifest, SHA256SUMS and RELEASE.json (when it was made, from which
    commit, whether the work tree had uncommitted edits)."""
    manifest, edition, restored = verify_for_release(Path(study))
    for path in restored:
        print(f"restored {path} from the build (it did not match the sha256 QA measured)", file=sys.stderr)
    names = sorted([e["path"] for e in manifest["published"]] + [b["qa"]["path"] for b in manifest["briefs"]])
    files = {Path(name).relative_to("published").as_posix(): (edition / name).read_bytes() for name in names}
    sums = "".join(f"{sha256_bytes(data)}  {name}\n" for name, data in files.items())
    date = datetime.fromtimestamp(made_at, UTC).strftime("%Y-%m-%d")
    target = Path(study) / "releases" / f"{date}-{sha256_bytes(sums.encode())[:12]}"
    if target.exists():
        raise FileExistsError(f"release {target.name} already exists and is never overwritten")
    staging = target.with_name(f".{target.name}.partial")
    if staging.exists():
        for p in sorted(staging.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    for name, data in files.items():
        write_atomic(staging / name, data)
    write_atomic(staging / "manifest.json", (edition / "manifest.json").read_bytes())
    write_atomic(staging / "SHA256SUMS", sums)
    write_json(staging / "RELEASE.json", {"made": datetime.fromtimestamp(made_at, UTC).isoformat(), **provenance,
                                          "edition": edition.name})
    staging.rename(target)  # the release appears whole or not at all
    for p in [target, *target.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    return target


def _git_state(root: Path) -> dict:
    """The commit the release is made from and whether the work tree had uncommitted edits (changed
    or new files; ignored ones such as output/ do not count)."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=normal")
    return {"commit": commit, "uncommitted_edits": bool(status) if status is not None else None}


def release_command(output: str) -> int:
    """`policybrief release`: freeze the published briefs, dated today, with the commit they came from."""
    import time

    try:
        target = release(Path(output), int(time.time()), _git_state(Path.cwd()))
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: release {target}")
    return 0
