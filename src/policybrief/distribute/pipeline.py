"""One distribute job per study: the QA gate; then everything is checked and made in memory (which
briefs are published, verified against their QA results; recipients; bundles; thumbnails;
catalogue; drafts; manifest); then the whole edition is written under a temporary name and
switched in at once (edition.py). Any error before the switch leaves the previous edition served."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from policybrief.core.files import read_json, sha256, sha256_bytes, write_atomic, write_json
from policybrief.qa.accessibility import check_brand_contrast
from policybrief.qa.review import load_reviews
from policybrief.qa.review import status as review_status
from policybrief.render.brand import Brand, brand_of

from . import edition
from .catalogue import card, png_size, render_catalogue, thumbnail, web_brand
from .mail import make_drafts
from .manifest import tool_versions
from .publish import Plan, bundle, plan_publication
from .recipients import load_recipients
from .smtp import log_path, read_log


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


def entry(path: str, data: bytes, **extra) -> dict:
    return {**extra, "path": path, "bytes": len(data), "sha256": sha256_bytes(data)}


def edition_files(plan: Plan, study, templates: Path, title: str, base_url: str,
                  checked: Brand | None = None) -> tuple[dict[str, bytes], dict]:
    """Every file of the next edition but the drafts and manifest, by path, and their manifest entries."""
    files = {path: source.read() for brief in plan.briefs.values() for path, source in brief.sources.items()}
    published = [entry(path, files[path], brief=b, format=fmt)
                 for b, brief in sorted(plan.briefs.items()) for fmt in brief.record["formats"]
                 for path in [f"published/{b}/{b}.{fmt}"]]
    bundles, cards = [], []
    for b, brief in sorted(plan.briefs.items()):
        record = brief.record
        citation = study.citation.get(record["language"]) or study.citation.en
        note = f"{record['title']}\n{record['subtitle']}\n\nFor: {record['audience']['name']}\nSource: {citation}\n"
        data = bundle(b, {f: files[f"published/{b}/{b}.{f}"] for f in record["formats"]}, note)
        files[f"bundles/{b}.zip"] = data
        bundles.append(entry(f"bundles/{b}.zip", data, brief=b))
        thumb = None
        if "pdf" in record["formats"]:
            png = files[f"catalogue/{b}.png"] = thumbnail(brief.sources[f"published/{b}/{b}.pdf"].path)
            width, height = png_size(png)
            thumb = {"path": f"catalogue/{b}.png", "width": width, "height": height}
        cards.append(card(record, published, thumb))
    brand, assets = web_brand(templates, checked)
    files |= assets
    study_text = {"citation": study.citation.en, "evidence_date": study.evidence_date.en, "title": study.title}
    files["index.html"] = render_catalogue(templates, cards, brand, study_text, title, base_url).encode("utf-8")
    site = [entry(p, files[p]) for p in sorted(files) if p == "index.html" or p.startswith(("catalogue/", "assets/"))]
    return files, {"published": published, "bundles": bundles, "site": site, "brand": brand}


def apply_reviews(plan: Plan, reviews: list, review_mode: str, built: set[str]) -> None:
    """Each published brief says who fact-checked it and when, or that nobody has yet (for the claims
    it prints now). With `required`, a brief built in this run that nobody has signed off is held back."""
    for brief_id in sorted(plan.briefs):
        record = plan.briefs[brief_id].record
        state = review_status(reviews, brief_id, record.get("claims_sha256") or "")
        record["review"] = state.as_dict()
        if review_mode == "required" and not state.reviewed and brief_id in built:
            del plan.briefs[brief_id]
            plan.held_back.append(brief_id)
            plan.notes.append(f"held back {brief_id}: not yet fact-checked (review mode `required`; "
                              f"sign off with `policybrief sign-off {brief_id} --reviewer NAME`)")
    plan.held_back.sort()


def distribute(output: str, briefs: str, templates: str, data: str, mode: str, recipients: str, sender: str, epoch: int,
               base_url: str, title: str, brief_ids: list[str], results: list[str], stamp: str,
               review_mode: str = "warn", brand: str | None = None) -> int:
    """`policybrief distribute`: nothing is published when the gates fail in `fail` mode, and nothing
    changes when any check fails."""
    from policybrief.content.loading import load_content

    out, templates_dir = Path(output), Path(templates)
    if not quality_gate(results, mode, out):
        return 1
    study = load_content(data).study
    checked = brand_of(templates_dir, brand)  # read once: for the contrast check and the web pages
    check_brand_contrast(templates_dir, checked)
    date = datetime.fromtimestamp(epoch, UTC).date().isoformat()
    today = datetime.now(UTC).date().isoformat()  # when a withdrawal happened (see README, "Withdrawn")
    plan = plan_publication(out, Path(briefs), brief_ids, date, today)
    apply_reviews(plan, load_reviews(Path(data)), review_mode, set(brief_ids))
    people = load_recipients(Path(recipients), plan.specs)
    files, lists = edition_files(plan, study, templates_dir, title, base_url, checked)
    records = {b: brief.record for b, brief in plan.briefs.items()}
    drafts, draft_entries, notes = make_drafts(people, records, files, read_log(log_path(out)), study,
                                               {"name": lists["brand"]["name"], "publisher": lists["brand"]["publisher"]},
                                               templates_dir, sender, epoch, recipients)
    files |= drafts
    manifest = {
        "tools": tool_versions(),
        "briefs": [records[b] for b in sorted(records)],
        "files": plan.files, "inputs": plan.inputs,
        "published": lists["published"], "held_back": plan.held_back, "withdrawn": plan.withdrawn,
        "bundles": lists["bundles"], "drafts": draft_entries, "site": lists["site"],
        "catalogue": {"path": "index.html", "sha256": sha256_bytes(files["index.html"])},
        "recipients": {"path": recipients, "sha256": sha256(Path(recipients))},
    }
    if (out / "qa.html").is_file():
        manifest["qa_report"] = {"path": "qa.html", "sha256": sha256(out / "qa.html")}
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    # Everything is made: write the edition under a temporary name, then switch.
    staging = edition.new_staging(out)
    try:
        for path, data in sorted(files.items()):
            write_atomic(staging / path, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a full disk: give the space back; the served edition is untouched
        raise
    made, repaired = edition.commit(out, staging, sha256_bytes(files["manifest.json"])[:12])
    for line in [*plan.notes, *notes, *(f"repaired {p}" for p in repaired)]:
        print(line, file=sys.stderr)
    _summary(plan, manifest, made, today)
    write_json(Path(stamp), {"edition": made.name, "manifest_sha256": sha256_bytes(files["manifest.json"])})
    return 0


def _summary(plan: Plan, manifest: dict, made: Path, today: str) -> None:
    held = plan.held_back
    print(f"published {len(plan.briefs)} briefs in edition {made.name}"
          + (f"; kept the previous version of {', '.join(held)} (QA failed)" if held else ""))
    for w in plan.withdrawn:
        if w["withdrawn"] == today:
            print(f"withdrawn: {w['path']} ({w['reason']})")
    print(f"ok: manifest lists {len(manifest['published'])} published files, {len(manifest['drafts'])} drafts")
