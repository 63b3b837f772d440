"""One distribute job per study: the QA gate, then publish → bundles → catalogue → drafts → manifest."""

from __future__ import annotations

import sys
from pathlib import Path

from policybrief.core.files import read_json, sha256_bytes, write_atomic, write_json
from policybrief.spec.specs import load_spec, load_specs

from .catalogue import build_catalogue
from .mail import draft, slug
from .manifest import write_manifest
from .publish import bundle, publish
from .recipients import load_recipients


def quality_gate(results: list[str], mode: str, output: Path) -> bool:
    """False (and a message) when a brief failed its gates and the mode is `fail`."""
    summary = {}
    for path in results:
        result = read_json(Path(path))
        summary[result["brief"]] = result["status"]
    failed = sorted(b for b, status in summary.items() if status == "fail")
    if failed and mode == "fail":
        print(f"error: quality gates failed for {', '.join(failed)}; see {output / 'qa.html'} or the table above "
              "(set qa.mode: warn in config/config.yaml to publish anyway)", file=sys.stderr)
        return False
    write_atomic(output / "build" / "qa-passed.txt", "\n".join(f"{b}: {s}" for b, s in sorted(summary.items())) + "\n")
    return True


def make_bundles(output: Path, briefs: Path, published: dict, citation: str) -> dict:
    """One zip per published brief: its PDF and DOCX and a README note naming the source."""
    made = {}
    for brief, entry in sorted(published.items()):
        if entry["published"]:
            spec = load_spec(briefs / f"{brief}.yaml").spec
            note = f"{spec.title}\n{spec.subtitle}\n\nFor: {spec.audience.name}\nSource: {citation}\n"
            data = bundle(output, brief, entry["files"], note)
            write_atomic(output / "bundles" / f"{brief}.zip", data)
            made[brief] = {"path": f"bundles/{brief}.zip", "bytes": len(data), "sha256": sha256_bytes(data)}
    return made


def make_drafts(output: Path, briefs: Path, templates: Path, published: dict, recipients: Path, sender: str,
                epoch: int) -> list[dict]:
    """One .eml per recipient of a published brief."""
    specs = {s.spec.id: s.spec for s in load_specs(briefs)}
    written = []
    for recipient in load_recipients(recipients, specs):
        entry = published.get(recipient.brief)
        if not entry or not entry["published"]:
            print(f"skipped {recipient.email}: brief '{recipient.brief}' is not published", file=sys.stderr)
            continue
        data = draft(recipient, specs[recipient.brief], entry, output, templates, sender, epoch)
        path = output / "mail" / recipient.brief / f"{slug(recipient.organisation)}-{slug(recipient.name)}.eml"
        write_atomic(path, data)
        written.append({"to": recipient.email, "brief": recipient.brief, "path": path.relative_to(output).as_posix()})
    return written


def distribute(output: str, briefs: str, templates: str, data: str, mode: str, recipients: str, sender: str, epoch: int,
               base_url: str, title: str, brief_ids: list[str], results: list[str]) -> int:
    """`policybrief distribute`: nothing is published when the gates fail in `fail` mode."""
    from policybrief.content.loading import load_content

    out, briefs_dir, templates_dir = Path(output), Path(briefs), Path(templates)
    if not quality_gate(results, mode, out):
        return 1
    study = load_content(data).study
    published = publish(out, briefs_dir, brief_ids)
    write_json(out / "build" / "published.json", published)
    held = sorted(b for b, r in published.items() if not r["published"])
    print(f"published {len(published) - len(held)} briefs" + (f"; kept the previous version of {', '.join(held)} (QA failed)" if held else ""))
    write_json(out / "build" / "bundles.json", make_bundles(out, briefs_dir, published, study.citation.en))
    cards = build_catalogue(out, briefs_dir, templates_dir, published, base_url, title)
    print(f"ok: {out}/index.html with {len(cards) - 1} cards")
    drafts = make_drafts(out, briefs_dir, templates_dir, published, Path(recipients), sender, epoch)
    write_json(out / "build" / "drafts.json", drafts)
    manifest = write_manifest(out, briefs_dir, [out / "briefs" / b / f"{b}.build.json" for b in brief_ids])
    print(f"ok: {out}/manifest.json lists {len(manifest['files'])} files")
    return 0
