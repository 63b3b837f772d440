"""The recipients file: bad rows are rejected with the file, line, record and field named."""

from __future__ import annotations

import pytest

from policybrief.core.problems import InputError
from policybrief.distribute.mail import slug
from policybrief.distribute.recipients import load_recipients
from policybrief.spec.specs import load_specs

from ..conftest import DATA, ROOT

SPECS = {s.spec.id: s.spec for s in load_specs(ROOT / "briefs")}
GOOD = "Reference Desk,DTIC,reference@dtic.example.org,research,pdf;docx,en\n"
HEADER = "name,organisation,email,brief,formats,language\n"


def test_shipped_recipients_use_reserved_example_domains():
    recipients = load_recipients(DATA / "distribution.csv", SPECS)
    assert len(recipients) >= 6
    assert all(r.email.split("@")[1].endswith("example.org") for r in recipients)
    assert {r.brief for r in recipients} == set(SPECS)


@pytest.mark.parametrize("row, expected", [
    ("Desk,DTIC,not-an-email,research,pdf,en\n", [":2", "not-an-email", "email", "is not an e-mail address"]),
    ("Desk,DTIC,a@b.example.org,budget,pdf,en\n", [":2", "brief", "unknown brief 'budget'"]),
    ("Desk,DTIC,a@b.example.org,research,pdf;epub,en\n", [":2", "formats", "unknown format(s) epub"]),
    ("Desk,DTIC,a@b.example.org,mexico-es,pdf,en\n", [":2", "language", "brief 'mexico-es' is in 'es'"]),
    ("Desk,,a@b.example.org,research,pdf,en\n", [":2", "organisation", "is empty"]),
    ("Desk,DTIC,a@b.example.org,research,pdf\n", [":2", "has 5 cells"]),
    (GOOD, [":3", "already receives 'research'"]),
])
def test_bad_rows_are_rejected(tmp_path, row, expected):
    path = tmp_path / "distribution.csv"
    path.write_text(HEADER + (GOOD if row == GOOD else "") + row, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_recipients(path, SPECS)
    message = str(caught.value)
    assert "distribution.csv" in message
    for fragment in expected:
        assert fragment in message, message


def test_header_must_match(tmp_path):
    path = tmp_path / "distribution.csv"
    path.write_text("name,email\n", encoding="utf-8")
    with pytest.raises(InputError, match="header must be"):
        load_recipients(path, SPECS)


def test_slugs_are_ascii_file_names():
    assert slug("Secretaría de Relaciones Exteriores") == "secretaria-de-relaciones-exteriores"
    assert slug("../../etc") == "etc"
