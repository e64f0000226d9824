"""The one error type a reader raises for a file it cannot read at all."""

from __future__ import annotations

from pathlib import Path


class SourceFileError(Exception):
    """A file that cannot be read: the message names the file and what was expected.

    Raised instead of whatever the parser threw, so that the refresh can keep the source's
    previous accepted version and tell the analyst what to fix.
    """

    def __init__(self, path: Path | str, expected: str, cause: str = "") -> None:
        self.path = Path(path)
        self.expected = expected
        self.cause = cause
        detail = f" ({cause})" if cause else ""
        super().__init__(f"{self.path.name}: expected {expected}{detail}")
