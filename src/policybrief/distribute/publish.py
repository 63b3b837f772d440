"""Publishing that never loses the last good brief, immutable releases, and per-audience bundles.

Snakemake deletes a job's declared outputs when the job starts and when it fails, so files under
output/briefs are scratch. Only a brief whose QA passed is copied into output/published, file by
file, through a temporary file, fsync and rename; a failed or killed run leaves every previously
published file as it was.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from policybrief.core.files import deterministic_zip, sha256_bytes, write_atomic
from policybrief.spec.specs import load_spec


def publish(output_dir: Path, briefs_dir: Path, brief_ids: list[str]) -> dict:
    """Copy every brief that passed QA (status pass or warn) into output/published/<id>/, if the files
    are exactly the ones QA measured (their sha256 is in the QA result)."""
    report = {}
    for brief in sorted(brief_ids):
        spec = load_spec(briefs_dir / f"{brief}.yaml").spec
        built = output_dir / "briefs" / brief
        qa = json.loads((built / f"{brief}.qa.json").read_text(encoding="utf-8"))
        status = qa["status"]
        current = {fmt: sha256_bytes((built / f"{brief}.{fmt}").read_bytes()) for fmt in spec.formats}
        if any(qa["files"].get(fmt) != digest for fmt, digest in current.items()):
            status = "unchecked"  # the files changed after QA measured them: never publish those
        if status in ("fail", "unchecked"):
            report[brief] = {"status": status, "published": False, "files": {}}
            continue
        files = {}
        for fmt in spec.formats:
            data = (built / f"{brief}.{fmt}").read_bytes()
            target = output_dir / "published" / brief / f"{brief}.{fmt}"
            if not target.is_file() or target.read_bytes() != data:
                write_atomic(target, data)
            files[fmt] = {"path": target.relative_to(output_dir).as_posix(), "bytes": len(data), "sha256": sha256_bytes(data)}
        report[brief] = {"status": status, "published": True, "files": files}
    return report


def bundle(output_dir: Path, brief: str, files: dict, note: str) -> bytes:
    """A zip of the brief's PDF and DOCX plus a README note; fixed entry times and order."""
    entries = {"README.txt": note.encode("utf-8")}
    for fmt in ("pdf", "docx"):
        if fmt in files:
            entries[f"{brief}.{fmt}"] = (output_dir / files[fmt]["path"]).read_bytes()
    return deterministic_zip([(f"{brief}/{name}", entries[name]) for name in sorted(entries)])


def release(output_dir: Path, made_at: int, provenance: dict) -> Path:
    """An immutable folder output/releases/<date>-<hash>/ with the published files, SHA256SUMS and
    RELEASE.json (when it was made, from which commit, whether the work tree had uncommitted edits)."""
    published = output_dir / "published"
    files = sorted(p for p in published.rglob("*") if p.is_file())
    if not files:
        raise FileNotFoundError(f"nothing published in {published}; run the workflow first")
    sums = "".join(f"{sha256_bytes(p.read_bytes())}  {p.relative_to(published).as_posix()}\n" for p in files)
    date = datetime.fromtimestamp(made_at, UTC).strftime("%Y-%m-%d")
    target = output_dir / "releases" / f"{date}-{sha256_bytes(sums.encode())[:12]}"
    if target.exists():
        raise FileExistsError(f"release {target.name} already exists and is never overwritten")
    staging = target.with_name(f".{target.name}.partial")
    if staging.exists():
        for p in sorted(staging.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    for p in files:
        write_atomic(staging / p.relative_to(published), p.read_bytes())
    write_atomic(staging / "SHA256SUMS", sums)
    made = datetime.fromtimestamp(made_at, UTC).isoformat()
    write_atomic(staging / "RELEASE.json", json.dumps({"made": made, **provenance}, indent=2) + "\n")
    staging.rename(target)  # the release appears whole or not at all
    for p in [target, *target.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    return target


def _git_state(root: Path) -> dict:
    """The commit the release is made from and whether the work tree had uncommitted edits."""
    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "uncommitted_edits": bool(status) if status is not None else None}


def release_command(output: str) -> int:
    """`policybrief release`: freeze the published briefs, dated today, with the commit they came from."""
    import sys
    import time

    try:
        target = release(Path(output), int(time.time()), _git_state(Path.cwd()))
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"ok: release {target}")
    return 0
