"""Sending the drafts over SMTP: exactly the drafts the current manifest lists, each checked against
the recipients file, every outcome logged.

The log (output/<study>/mail/sent.jsonl) has one JSON record per attempt: `sent`, `refused` (the
server said no; the next run tries again) or `unknown` (the connection dropped after the server
had the message: it may have been delivered, so it is sent again only with --resend-unknown). It is
rewritten whole, atomically, after every message, so it is never left half-written.
"""

from __future__ import annotations

import email.policy
import ipaddress
import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes
from email.utils import format_datetime, getaddresses, parseaddr
from pathlib import Path

from policybrief.core.files import sha256_bytes, write_atomic
from policybrief.core.problems import InputError, Problem, display_path

from .edition import read_current_manifest
from .mail import edition_key
from .recipients import read_rows

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30


def log_path(study: Path) -> Path:
    return Path(study) / "mail" / "sent.jsonl"


def read_log(path: Path) -> list[dict]:
    """Every record of the sending log; a line that is not a complete record is an error naming it."""
    if not path.is_file():
        return []
    records, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not {"message_id", "to"} <= record.keys():
                raise ValueError("no message_id or to")
        except ValueError:
            problems.append(Problem(display_path(path), number, None, None,
                                    "is not a complete sending record (cut short?); compare it with the SMTP server's log, "
                                    "then fix or delete that line"))
            continue
        records.append(record)
    if problems:
        raise InputError(problems)
    return records


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None


def read_settings(environ) -> Settings:
    """SMTP_* from the environment, every problem named by its setting, all at once."""
    problems = []

    def bad(name: str, message: str) -> None:
        problems.append(Problem("environment", None, None, name, message))

    host = environ.get("SMTP_HOST", "")
    security = environ.get("SMTP_SECURITY", "starttls")
    user, password = environ.get("SMTP_USER") or None, environ.get("SMTP_PASSWORD") or None
    if not host.strip() or host != host.strip():
        bad("SMTP_HOST", f"'{host}' is not a host name; set the SMTP server's name, e.g. smtp.example.org")
    if security not in SECURITY:
        bad("SMTP_SECURITY", f"'{security}' is not one of starttls, ssl, none (exactly, in lower case)")
    raw_port = environ.get("SMTP_PORT", str(DEFAULT_PORTS.get(security, 587)))
    port = int(raw_port) if raw_port.isdigit() else 0
    if not 0 < port < 65536:
        bad("SMTP_PORT", f"'{raw_port}' is not a port number (1 to 65535)")
    if bool(user) != bool(password):
        bad("SMTP_PASSWORD" if user else "SMTP_USER", "SMTP_USER and SMTP_PASSWORD go together; set both or neither")
    if security == "none" and user and not _loopback(host):
        bad("SMTP_SECURITY", f"'none' would send the login for {user} in clear text to {host}; use starttls or ssl "
            "('none' with a login is allowed only to this machine)")
    if problems:
        raise InputError(problems)
    return Settings(host, port, security, user, password)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def connect(settings: Settings) -> smtplib.SMTP:
    where = f"{settings.host}:{settings.port}"
    try:
        if settings.security == "ssl":
            client = smtplib.SMTP_SSL(settings.host, settings.port, context=ssl.create_default_context(), timeout=TIMEOUT)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
        client.ehlo_or_helo_if_needed()
    except smtplib.SMTPNotSupportedError:
        raise _setting_error("SMTP_SECURITY", f"the server at {where} does not offer STARTTLS; nothing was sent") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise _setting_error("SMTP_USER", f"the server at {where} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise _setting_error("SMTP_HOST", f"cannot connect to {where} (SMTP_HOST, SMTP_PORT, SMTP_SECURITY): {exc}") from None
    return client


def _setting_error(name: str, message: str) -> InputError:
    return InputError([Problem("environment", None, None, name, message)])


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def transmit(client: smtplib.SMTP, message, recipient: str) -> tuple[str, str]:
    """One message to one address, in the SMTP steps, so the outcome is known: ('sent' | 'refused' |
    'unknown' | 'dropped', detail). 'dropped' means the connection closed before the message was
    handed over (nothing was delivered); after DATA began the outcome is 'unknown'."""
    sender = parseaddr(message["From"])[1]
    data = message.as_bytes(policy=email.policy.SMTP)
    try:
        code, reply = client.mail(sender)
        if code != 250:
            client.rset()
            return "refused", f"{code} {_text(reply)} (sender {sender})"
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            client.rset()
            return "refused", f"{code} {_text(reply)}"
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        return "dropped", str(exc) or "connection closed"
    try:
        code, reply = client.data(data)
    except smtplib.SMTPDataError as exc:
        return "refused", f"{exc.smtp_code} {_text(exc.smtp_error)}"
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        return "unknown", f"the connection closed after the message was handed over ({exc or 'no reply'})"
    return "sent", f"{code} {_text(reply)}"


@dataclass
class Draft:
    entry: dict  # the manifest's drafts entry
    message: object


def drafts_to_send(study: Path, recipients: Path | None) -> tuple[list[Draft], list[str]]:
    """The current manifest's drafts, each verified (sha256, its one recipient, a row of the
    recipients file for that address and brief); the ones that fail are reported, not sent."""
    manifest = read_current_manifest(study)
    if manifest is None:
        raise FileNotFoundError(f"nothing published in {study}; run the workflow first")
    source = Path(recipients) if recipients else Path(manifest["recipients"]["path"])
    rows, problems = read_rows(source)
    if problems:
        raise InputError(problems)
    wanted = {(row["email"].lower(), row["brief"]): tuple(f for f in row["formats"].split(";") if f) for _line, row in rows}
    drafts, refused = [], []
    for entry in manifest["drafts"]:
        path = Path(study) / entry["path"]
        data = path.read_bytes() if path.is_file() else b""
        message = message_from_bytes(data, policy=email.policy.SMTP)
        why = _draft_problem(entry, data, message, wanted, display_path(source))
        if why:
            refused.append(f"not sent: {entry['path']} {why}; run `make` to remake the drafts")
        else:
            drafts.append(Draft(entry, message))
    return drafts, refused


def _draft_problem(entry: dict, data: bytes, message, wanted: dict, source: str) -> str:
    """Why a listed draft must not go out, or ''."""
    if not data:
        return "is missing"
    if sha256_bytes(data) != entry["sha256"]:
        return "differs from the draft the manifest lists"
    headers = [*message.get_all("To", []), *message.get_all("Cc", []), *message.get_all("Bcc", [])]
    addresses = [address.lower() for _name, address in getaddresses(headers)]
    if addresses != [entry["to"].lower()]:
        return f"is addressed to {', '.join(addresses)}, not only {entry['to']}"
    formats = wanted.get((entry["to"].lower(), entry["brief"]))
    if formats is None:
        return f"goes to {entry['to']}, who does not receive '{entry['brief']}' in {source}"
    attached = tuple(Path(part.get_filename()).suffix.lstrip(".") for part in message.iter_attachments())
    if attached != formats:
        return f"attaches {', '.join(attached)}, but {source} says {';'.join(formats)}"
    return ""


def send(study: Path, really: bool, resend_unknown: bool = False, recipients: Path | None = None,
         environ=os.environ) -> tuple[list[str], bool]:
    """Send each listed draft not yet delivered. Returns the report lines and whether everything that
    should go out did (False after a refusal, an unknown outcome or a draft that failed its checks)."""
    drafts, lines = drafts_to_send(Path(study), recipients)
    log = log_path(study)
    records = read_log(log)
    done = {edition_key(r["to"], r.get("brief"), r.get("attachments", {})) for r in records if r.get("status", "sent") == "sent"}
    done_ids = {r["message_id"] for r in records if r.get("status", "sent") == "sent"}
    unknown = {edition_key(r["to"], r.get("brief"), r.get("attachments", {})) for r in records if r.get("status") == "unknown"}
    ok, pending = not lines, []
    for d in drafts:
        key = edition_key(d.entry["to"], d.entry["brief"], d.entry["attachments"])
        label = f"{d.message['To']} — {d.message['Subject']}"
        if key in done or d.message["Message-ID"] in done_ids:
            lines.append(f"skip (already sent): {label}")
        elif key in unknown and not resend_unknown:
            ok = False
            lines.append(f"unknown (not sent again): {label} — an earlier attempt may have been delivered; check with the "
                         "recipient or the server's log, then run again with --resend-unknown to send it")
        else:
            pending.append(d)
            lines.append(f"{'send' if really else 'would send'}: {label}"
                         f"{' (corrected edition)' if d.entry['corrected'] else ''} — {', '.join(d.entry['attachments'])}")
    if not really or not pending:
        return lines, ok
    settings = read_settings(environ)
    client = connect(settings)  # a wrong setting stops here, before anything is sent
    try:
        for number, d in enumerate(pending):
            if client is None:
                try:
                    client = connect(settings)
                except InputError as exc:
                    lines += [f"not sent: {p.entry['to']} — {exc.problems[0].message}" for p in pending[number:]]
                    return lines, False
            outcome, detail = _send_one(client, d)
            if outcome == "dropped":
                client = None
                lines.append(f"not sent: {d.entry['to']} — the connection closed before the message was handed over; run again")
                ok = False
                continue
            records.append({"message_id": d.message["Message-ID"], "to": d.entry["to"], "brief": d.entry["brief"],
                            "draft": d.entry["path"], "attachments": d.entry["attachments"], "status": outcome, "detail": detail,
                            "at": datetime.now(UTC).isoformat(timespec="seconds")})
            write_atomic(log, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
            lines.append(f"{outcome}: {d.entry['to']} — {detail}")
            if outcome == "unknown":
                client = None  # the server hung up: a fresh connection for the next message
            ok = ok and outcome == "sent"
    finally:
        if client is not None:
            _close(client)
    return lines, ok


def _send_one(client: smtplib.SMTP, d: Draft) -> tuple[str, str]:
    message = d.message
    del message["X-Unsent"]
    del message["Date"]
    message["Date"] = format_datetime(datetime.now(UTC))  # the time of sending; the draft keeps its fixed date
    return transmit(client, message, d.entry["to"])


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def send_command(output: str, deliver: bool, resend_unknown: bool, recipients: str | None) -> int:
    """`policybrief send`: a dry run that lists the drafts, or (with --send) delivery over SMTP."""
    import sys

    try:
        lines, ok = send(Path(output), deliver, resend_unknown, Path(recipients) if recipients else None)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    if not deliver:
        print("dry run: nothing was sent; add --send to deliver (SMTP_* environment variables)")
    if not ok:
        print("error: not every message went out; see the lines above", file=sys.stderr)
    return 0 if ok else 1
