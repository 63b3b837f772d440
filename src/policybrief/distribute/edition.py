"""A study's published set as one unit, switched atomically.

Each publication is an *edition*: a complete folder output/<study>/editions/<id>/ holding the
published briefs (with the QA result that measured them), bundles, thumbnails, web assets, the
catalogue, the e-mail drafts and the manifest listing every one of those files with its sha256.
`current` is a symlink naming the edition being served, and the paths people and web servers use
(published/, bundles/, index.html, manifest.json, …) are fixed symlinks through `current`. A new
edition is written in full under a temporary name first; replacing the one `current` symlink
(rename(2), atomic) then switches everything at once. A build that fails, is killed or fills the
disk before that point leaves the previous edition served, byte for byte, with its manifest.

This module imports only the standard library and core: the Snakefile calls `published_state`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from policybrief.core.files import fsync_folder, sha256, write_atomic

EDITIONS = "editions"
CURRENT = "current"
# The stable names, each a symlink to current/<name>.
LINKS = ("published", "bundles", "catalogue", "assets", "drafts", "index.html", "manifest.json")
KEEP = 2  # editions kept: the current one and the one before it (for a manual roll-back)


def current_edition(study: Path) -> Path | None:
    """The edition folder `current` points at, or None before the first publication."""
    link = Path(study) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read_current_manifest(study: Path) -> dict | None:
    """The served manifest (read through `current`, so a removed manifest.json link does not hide it)."""
    edition = current_edition(study)
    return json.loads((edition / "manifest.json").read_text(encoding="utf-8")) if edition else None


def listed_files(manifest: dict) -> dict[str, str]:
    """Every file an edition holds besides its manifest, relative path -> sha256."""
    items = [*manifest["published"], *manifest["bundles"], *manifest["drafts"], *manifest["site"],
             *(b["qa"] for b in manifest["briefs"])]
    return {item["path"]: item["sha256"] for item in items}


def damage(edition: Path, manifest: dict) -> list[str]:
    """How an edition differs from its manifest: files missing, changed, or not listed at all."""
    wanted = listed_files(manifest)
    found = {p.relative_to(edition).as_posix() for p in edition.rglob("*") if p.is_file() or p.is_symlink()}
    problems = [f"{path} (missing)" for path in sorted(set(wanted) - found)]
    problems += [f"{path} (changed)" for path in sorted(set(wanted) & found) if sha256(edition / path) != wanted[path]]
    problems += [f"{path} (not in the manifest)" for path in sorted(found - set(wanted) - {"manifest.json"})]
    return problems


def published_state(study: Path, stamp: Path) -> str:
    """'ok', or what is wrong with the served edition. The distribute rule takes this as a parameter,
    so a damaged published set (a corrupted or deleted file) makes Snakemake run the job again."""
    study = Path(study)
    try:
        manifest = read_current_manifest(study)
    except (OSError, ValueError) as exc:
        return f"damaged: {CURRENT}/manifest.json unreadable ({exc})"
    if manifest is None:
        # Nothing published yet is fine; nothing published after a publication is not.
        return "damaged: no current edition" if Path(stamp).exists() else "ok"
    problems = damage(current_edition(study), manifest)
    return "damaged: " + "; ".join(problems) if problems else "ok"


def new_staging(study: Path) -> Path:
    """An empty folder for the next edition (a leftover from a killed run is removed first). Made with
    mkdir, so it follows the umask like every published folder (mkdtemp would make it 0700)."""
    staging = Path(study) / EDITIONS / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def commit(study: Path, staging: Path, edition_id: str) -> tuple[Path, list[str]]:
    """Make `staging` the served edition. Returns the edition and, when it had the same content as the
    current one, the files repaired in place (the current edition then stays; nothing is switched)."""
    study = Path(study)
    current = current_edition(study)
    if current is not None and current.name == edition_id:
        repaired = _sync(staging, current)
        shutil.rmtree(staging)
        _ensure_links(study)
        return current, repaired
    target = study / EDITIONS / edition_id
    if target.exists():  # an older edition with the same content, not served: replace it
        shutil.rmtree(target)
    staging.rename(target)
    fsync_folder(target.parent)
    _ensure_links(study)
    _replace_symlink(study / CURRENT, Path(EDITIONS) / edition_id)  # the switch
    _prune(study, target)
    return target, []


def _sync(source: Path, target: Path) -> list[str]:
    """Make `target` hold exactly `source`'s files (both are complete editions of the same manifest)."""
    wanted = {p.relative_to(source): p for p in source.rglob("*") if p.is_file()}
    repaired = []
    for relative, path in sorted(wanted.items()):
        there = target / relative
        if not there.is_file() or there.is_symlink() or sha256(there) != sha256(path):
            write_atomic(there, path.read_bytes())
            repaired.append(relative.as_posix())
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_symlink() or (path.is_file() and path.relative_to(target) not in wanted):
            path.unlink()
            repaired.append(f"{path.relative_to(target).as_posix()} (removed)")
    return repaired


def _ensure_links(study: Path) -> None:
    """The stable names as symlinks through `current`. A real file or folder in their place (the
    layout before editions) is moved aside and pruned with the old editions."""
    for name in LINKS:
        link, target = study / name, Path(CURRENT) / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.exists() and not link.is_symlink():
            link.rename(study / EDITIONS / f".legacy-{name}")
        _replace_symlink(link, target)
    # Drafts used to live in mail/<brief>/; mail/ now holds only the sending log.
    for folder in sorted(p for p in (study / "mail").glob("*") if p.is_dir()):
        folder.rename(study / EDITIONS / f".legacy-mail-{folder.name}")


def _replace_symlink(link: Path, target: Path) -> None:
    temporary = link.with_name(f".{link.name}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)
    fsync_folder(link.parent)


def _prune(study: Path, current: Path) -> None:
    """Keep the current edition and the one before it; drop older ones and moved-aside leftovers."""
    editions = study / EDITIONS
    kept = sorted((p for p in editions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.stat().st_mtime_ns, reverse=True)
    keep = {current, *[p for p in kept if p != current][:KEEP - 1]}
    for path in editions.iterdir():
        if path not in keep:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()

