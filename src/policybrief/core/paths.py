"""Paths that users write (in config, specs, brand and data) resolved and kept inside their folder."""

from __future__ import annotations

from pathlib import Path

from .problems import InputError, Problem


def inside(folder: Path, relative: str | Path, where: str, field: str) -> Path:
    """`relative` resolved against `folder` (symlinks followed), refused unless its real path lies
    inside `folder`'s real path. `where` and `field` name the setting in the message."""
    base = Path(folder).resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise InputError([Problem(where, None, None, field,
                                  f"'{relative}' resolves to {target}, outside {base}; paths must stay inside that folder")])
    return target
