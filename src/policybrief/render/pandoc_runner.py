"""Run the bundled pandoc safely: sandboxed, warnings are errors, bounded in time and memory."""

from __future__ import annotations

import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path

import pypandoc

TIMEOUT_S = 60
HEAP_LIMIT = "-M1024m"


class PandocError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def executable() -> str:
    return pypandoc.get_pandoc_path()


@lru_cache(maxsize=1)
def version() -> str:
    return pypandoc.get_pandoc_version()


def run(args: list[str], stdin: bytes, what: str, env_extra: dict[str, str] | None = None) -> bytes:
    """pandoc with --sandbox (it reads only the files named on its command line) and --fail-if-warnings."""
    command = [executable(), "+RTS", HEAP_LIMIT, "-RTS", "--sandbox", "--fail-if-warnings", *args]
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env.update(env_extra or {})
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PandocError(f"pandoc took longer than {TIMEOUT_S} s while {what}; the input is too large or too deeply nested") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise PandocError(f"pandoc failed while {what}: {message}")
    return done.stdout


def to_json(markdown: str, args: list[str], what: str) -> dict:
    return json.loads(run(["--from", "markdown", "--to", "json", *args], markdown.encode("utf-8"), what))


def path_arg(path: Path) -> str:
    return str(Path(path).resolve())
