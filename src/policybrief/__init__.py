"""policybrief: turn a thesis, held as validated data, into tailored policy briefs."""

__version__ = "0.1.0"
