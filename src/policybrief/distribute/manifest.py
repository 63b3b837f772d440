"""Tool versions for the manifests (the study's, written by pipeline.py, and the library's)."""

from __future__ import annotations

import platform

from policybrief import __version__


def tool_versions() -> dict[str, str]:
    from importlib.metadata import version

    from policybrief.render import pandoc_runner

    return {
        "policybrief": __version__,
        "weasyprint": version("weasyprint"),  # from the installed metadata: importing it costs 0.8 s
        "pandoc": pandoc_runner.version(),
        "python": platform.python_version(),
    }
