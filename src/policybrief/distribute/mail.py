"""E-mail drafts for each recipient (.eml, X-Unsent: 1), worded from the study's data and the brand.

Drafts are byte-identical run to run: fixed Date (SOURCE_DATE_EPOCH), Message-ID and MIME boundary
derived from the content. Sending (smtp.py) stamps the real date. A recipient whom the sending
log shows with an earlier, different edition of the same brief gets a draft marked as a corrected
edition.
"""

from __future__ import annotations

import email.policy
import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from babel.lists import format_list

from policybrief.core.problems import InputError, Problem, display_path
from policybrief.render.i18n import LOCALES, month_year
from policybrief.render.templating import environment, render

from .catalogue import FORMAT_LABELS
from .recipients import Recipient

MIME = {"pdf": ("application", "pdf"), "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "html": ("text", "html")}


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "recipient"


def study_context(study, lang: str) -> dict:
    """The study as the e-mails name it, in the brief's language."""
    def text(value) -> str:
        return value.get(lang) or value.en

    return {"title": study.title, "short_title": study.short_title, "author": study.author.name,
            "institution": study.institution, "date": month_year(study.date, lang), "handle_url": study.handle_url,
            "citation": text(study.citation), "evidence_date": text(study.evidence_date)}


def edition_key(recipient_email: str, brief: str, attachments: dict[str, str]) -> tuple:
    """One edition of one brief for one recipient: sent at most once."""
    return recipient_email.lower(), brief, tuple(sorted(attachments.items()))


def earlier_edition(sent: list[dict], recipient: Recipient, attachments: dict[str, str]) -> bool:
    """Whether the log shows this recipient was sent a different edition of the same brief."""
    this = edition_key(recipient.email, recipient.brief, attachments)
    return any(e.get("status") == "sent" and e.get("brief") == recipient.brief and e["to"].lower() == this[0]
               and edition_key(e["to"], e["brief"], e.get("attachments", {})) != this for e in sent)


def draft(recipient: Recipient, brief: dict, attachments: dict[str, bytes], study: dict, brand: dict, templates: Path,
          sender: str, epoch: int, corrected: bool, env) -> bytes:
    """One recipient's message; `attachments` maps format to the published bytes; `env`: the text
    templates' environment, shared by every draft (it caches the compiled templates)."""
    lang = brief["language"]
    context = {"recipient": recipient, "brief": brief, "study": study, "brand": brand, "corrected": corrected,
               "formats": format_list([FORMAT_LABELS[f] for f in attachments], locale=LOCALES[lang])}
    subject = " ".join(render(env, f"email/subject.{lang}.txt.j2", context, templates).split())
    body = render(env, f"email/body.{lang}.txt.j2", context, templates)
    digest = hashlib.sha256("\0".join([recipient.email, brief["id"], subject, body,
                                       *(hashlib.sha256(d).hexdigest() for d in attachments.values())]).encode()).hexdigest()
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = formataddr((recipient.name, recipient.email))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.fromtimestamp(epoch, UTC))
    message["Message-ID"] = f"<{digest[:32]}@policybrief.invalid>"
    message["X-Unsent"] = "1"
    message.set_content(body)
    for fmt, data in attachments.items():
        maintype, subtype = MIME[fmt]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"{brief['id']}.{fmt}")
    message.set_boundary(f"=_policybrief_{digest[:24]}")
    return message.as_bytes(policy=email.policy.SMTP)


def make_drafts(recipients: list[Recipient], briefs: dict[str, dict], edition: dict[str, bytes], sent: list[dict],
                study, brand: dict, templates: Path, sender: str, epoch: int, recipients_file: str) -> tuple[dict[str, bytes], list[dict], list[str]]:
    """Every recipient's draft of a published brief: (files by edition path, manifest entries, notes)."""
    files, entries, notes, problems = {}, [], [], []
    env = environment(templates, text=True)
    for recipient in recipients:
        brief = briefs.get(recipient.brief)
        if brief is None:
            notes.append(f"no draft for {recipient.email}: brief '{recipient.brief}' is not published")
            continue
        unpublished = [f for f in recipient.formats if f not in brief["formats"]]
        if unpublished:
            problems.append(Problem(display_path(Path(recipients_file)), recipient.line, recipient.email, "formats",
                                    f"brief '{recipient.brief}' is not published as {', '.join(unpublished)} yet; build it first"))
            continue
        attachments = {f: edition[f"published/{recipient.brief}/{recipient.brief}.{f}"] for f in recipient.formats}
        digests = {f"{recipient.brief}.{f}": hashlib.sha256(d).hexdigest() for f, d in attachments.items()}
        corrected = earlier_edition(sent, recipient, digests)
        data = draft(recipient, brief, attachments, study_context(study, brief["language"]), brand, templates, sender, epoch, corrected, env)
        path = f"drafts/{recipient.brief}/{slug(recipient.organisation)}-{slug(recipient.name)}.eml"
        if path in files:  # same organisation and name, another address
            path = path.replace(".eml", f"-{slug(recipient.email)}.eml")
        files[path] = data
        entries.append({"to": recipient.email, "brief": recipient.brief, "path": path, "sha256": hashlib.sha256(data).hexdigest(),
                        "attachments": digests, "corrected": corrected})
    if problems:
        raise InputError(problems)
    return files, entries, notes

