"""The one error type a reader raises for a file it cannot read at all."""

from __future__ import annotations

from pathlib import Path


class SourceFileError(Exception):
    """A file that cannot be read: the message names the file and what was expected.

    Raised instead of whatever the parser threw, so that the refresh can keep the source's
    previous accepted version and tell the analyst what to fix.
    """

    def __init__(self, path: Path | str, expected: str, cause: str = "", *,
                 problem_pl: str | None = None) -> None:
        self.path = Path(path)
        self.expected = expected
        self.cause = cause
        # what the analyst reads (Polish, with what to do), where a reader gives it
        self.problem_pl = problem_pl
        detail = f" ({cause})" if cause else ""
        super().__init__(f"{self.path.name}: expected {expected}{detail}")

    @property
    def message_pl(self) -> str:
        """The message for the analyst (a stale source's reason): the file, what is wrong and
        what to do, in Polish; the English one where a reader gave no Polish."""
        if self.problem_pl:
            return f"{self.path.name}: {self.problem_pl}"
        detail = f"; {self.cause}" if self.cause else ""
        return f"{self.path.name}: nie udało się odczytać pliku (oczekiwano: {self.expected}" \
               f"{detail}). Co zrobić: sprawdź, czy to właściwy plik, i zapisz go ponownie."

    def renamed(self, name: str) -> SourceFileError:
        """The same error about the file the analyst sent (not its landed copy)."""
        return SourceFileError(name, self.expected, self.cause, problem_pl=self.problem_pl)
