"""A test's own copy of the mapping files, which the readers then use ($PES_MAPPINGS): the way
an office edits a mapping, so a test can show that a change of input needs no change of code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sources.mapping import MAPPINGS_DIR, MAPPINGS_ENV


def copy_of_mappings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped mapping files copied to `folder`, which the readers now use."""
    shutil.copytree(MAPPINGS_DIR, folder)
    monkeypatch.setenv(MAPPINGS_ENV, str(folder))
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replace a line of a mapping file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
