"""Sign-offs: a person who fact-checked a brief records it (`policybrief sign-off`), with the hash
of the brief's printed claims; a brief whose claims changed since is not fact-checked any more.
Nothing here ever records a sign-off by itself: only the sign-off command, run by the reviewer."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from pydantic import Field

from policybrief.content.models import Id, Str, Strict
from policybrief.core.files import read_json, write_atomic
from policybrief.core.problems import InputError, Problem
from policybrief.core.validation import validate_document
from policybrief.core.yamlio import load_yaml

REVIEWS_FILE = "reviews.yaml"


class Review(Strict):
    brief: Id
    reviewer: Str
    date: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    claims_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


@dataclass(frozen=True)
class Status:
    reviewed: bool
    reviewer: str | None = None
    date: str | None = None
    changed_since: bool = False  # signed off once, but the claims have changed since

    def label(self, tr=None) -> str:
        gettext = tr.gettext if tr else (lambda s: s)
        if self.reviewed:
            return gettext("Fact-checked by {reviewer} on {date}").format(reviewer=self.reviewer, date=self.date)
        if self.changed_since:
            return gettext("Not yet fact-checked (changed since {reviewer} checked it on {date})").format(
                reviewer=self.reviewer, date=self.date)
        return gettext("Not yet fact-checked")

    def as_dict(self) -> dict:
        return {"reviewed": self.reviewed, "reviewer": self.reviewer, "date": self.date,
                "changed_since_review": self.changed_since, "label": self.label()}


def load_reviews(data_dir: Path) -> list[Review]:
    path = Path(data_dir) / REVIEWS_FILE
    if not path.is_file():
        return []
    doc, problems = load_yaml(path)
    if doc is None:
        raise InputError(problems)
    reviews, more = validate_document(doc, Review, True)
    if problems or more:
        raise InputError(problems + more)
    return reviews or []


def status(reviews: list[Review], brief: str, claims_sha256: str) -> Status:
    """The latest sign-off of the brief decides: it counts only for the claims it saw."""
    mine = [r for r in reviews if r.brief == brief]
    if not mine:
        return Status(False)
    last = mine[-1]
    if last.claims_sha256 == claims_sha256:
        return Status(True, last.reviewer, last.date)
    return Status(False, last.reviewer, last.date, changed_since=True)


def _yaml_scalar(text: str) -> str:
    """A double-quoted YAML scalar (any name, quotes and backslashes included)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def sign_off(brief: str, reviewer: str, data: str, output: str) -> int:
    """`policybrief sign-off BRIEF --reviewer NAME`: record that NAME fact-checked the brief as last built."""
    reviewer = " ".join(reviewer.split())
    if not reviewer or re.search(r"[\x00-\x1f\x7f]", reviewer):
        raise InputError([Problem("sign-off", None, brief, "reviewer", "give the reviewer's name (printable text)")])
    sheet = Path(output) / "briefs" / brief / f"{brief}.factcheck.json"
    if not sheet.is_file():
        raise InputError([Problem(str(sheet), None, brief, None,
                                  "no fact-check sheet: build the brief first (make), read its sheet, then sign off")])
    claims = read_json(sheet)["claims_sha256"]
    path = Path(data) / REVIEWS_FILE
    reviews = load_reviews(Path(data))
    if status(reviews, brief, claims).reviewed:
        print(f"ok: {brief} is already signed off for these claims")
        return 0
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    header = "" if path.is_file() else (
        "# Fact-check sign-offs, one per review, appended by `policybrief sign-off` (never by the build).\n"
        "# A sign-off counts for the claims it saw (claims_sha256); an edited brief needs a new one.\n")
    entry = (f"- brief: {brief}\n  reviewer: {_yaml_scalar(reviewer)}\n  date: \"{date}\"\n"
             f"  claims_sha256: {claims}\n")
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    text = header + existing + entry
    with tempfile.TemporaryDirectory() as folder:  # the new file must load before it replaces the old
        (Path(folder) / REVIEWS_FILE).write_text(text, encoding="utf-8")
        load_reviews(Path(folder))
    write_atomic(path, text)
    print(f"ok: {brief} signed off by {reviewer} on {date} (claims {claims[:12]})")
    return 0
