"""E-mail drafts for each recipient (.eml, X-Unsent: 1) and opt-in sending over SMTP.

Drafts are byte-identical run to run: fixed Date (SOURCE_DATE_EPOCH), Message-ID and MIME
boundary derived from the content. Sending reads the SMTP settings from the environment only and
keeps a log so a rerun never sends the same message twice.
"""

from __future__ import annotations

import email.policy
import hashlib
import json
import os
import re
import smtplib
import ssl
import unicodedata
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from policybrief.render.templating import environment, render

from .recipients import Recipient

MIME = {"pdf": ("application", "pdf"), "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "html": ("text", "html")}


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "recipient"


def draft(recipient: Recipient, spec, published: dict, output_dir: Path, templates: Path, sender: str, epoch: int) -> bytes:
    env = environment(templates, text=True)
    context = {"recipient": recipient, "brief": spec, "formats": recipient.formats}
    subject = render(env, f"email/subject.{spec.language}.txt.j2", context, templates).strip()
    body = render(env, f"email/body.{spec.language}.txt.j2", context, templates)
    attachments = [(fmt, (output_dir / published["files"][fmt]["path"]).read_bytes()) for fmt in recipient.formats]
    digest = hashlib.sha256("\0".join([recipient.email, subject, body, *(hashlib.sha256(d).hexdigest() for _f, d in attachments)]).encode()).hexdigest()
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = formataddr((recipient.name, recipient.email))
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.fromtimestamp(epoch, UTC))
    message["Message-ID"] = f"<{digest[:32]}@policybrief.invalid>"
    message["X-Unsent"] = "1"
    message.set_content(body)
    for fmt, data in attachments:
        maintype, subtype = MIME[fmt]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=f"{spec.id}.{fmt}")
    message.set_boundary(f"=_policybrief_{digest[:24]}")
    return message.as_bytes(policy=email.policy.SMTP)


def _sent_ids(log: Path) -> set[str]:
    if not log.is_file():
        return set()
    return {json.loads(line)["message_id"] for line in log.read_text(encoding="utf-8").splitlines() if line.strip()}


def send(drafts: list[Path], log: Path, really: bool, environ=os.environ) -> list[str]:
    """Send each draft not already in the log. Without `really`, only report what would be sent."""
    already = _sent_ids(log)
    lines, pending = [], []
    for path in sorted(drafts):
        message = message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
        if message["Message-ID"] in already:
            lines.append(f"skip (already sent): {message['To']} — {path.name}")
        else:
            pending.append((path, message))
            lines.append(f"{'send' if really else 'would send'}: {message['To']} — {message['Subject']} — "
                         f"{', '.join(p.get_filename() for p in message.iter_attachments())}")
    if not really or not pending:
        return lines
    host = environ.get("SMTP_HOST")
    if not host:
        raise ValueError("SMTP_HOST is not set; set SMTP_HOST, SMTP_PORT, SMTP_SECURITY (starttls, ssl or none), SMTP_USER and SMTP_PASSWORD")
    port = int(environ.get("SMTP_PORT", "587"))
    security = environ.get("SMTP_SECURITY", "starttls")
    client = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=30) if security == "ssl" else smtplib.SMTP(host, port, timeout=30)
    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if environ.get("SMTP_USER"):
            client.login(environ["SMTP_USER"], environ.get("SMTP_PASSWORD", ""))
        for path, message in pending:
            del message["X-Unsent"]
            client.send_message(message)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"message_id": message["Message-ID"], "to": message["To"], "draft": path.name,
                                         "sent_at": datetime.now(UTC).isoformat(timespec="seconds")}) + "\n")
    return lines


def send_command(output: str, deliver: bool) -> int:
    """`policybrief send`: a dry run that lists the drafts, or (with --send) delivery over SMTP."""
    import sys

    drafts = sorted(Path(output, "mail").rglob("*.eml"))
    try:
        for line in send(drafts, Path(output) / "mail" / "sent.jsonl", deliver):
            print(line)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not deliver:
        print("dry run: nothing was sent; add --send to deliver (SMTP_* environment variables)")
    return 0
