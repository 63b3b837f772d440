"""Zip files with fixed entry times and permissions, so the same entries give the same bytes."""

from __future__ import annotations

import io
import zipfile

FIXED_ZIP_TIME = (2010, 3, 1, 0, 0, 0)  # the thesis's month; any fixed date would do


def deterministic_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of `entries` in the order given (callers choose it: some formats need a file first)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
