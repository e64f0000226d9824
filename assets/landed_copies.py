"""Landing integrity: a landed copy is read only if it still has the sha256 it was landed with.

Landed copies are what an auditor re-runs a release from; one edited afterwards would change
figures silently, so the refresh stops and names it instead.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from dagster import Failure

from assets.landing import sha256_of


class LandedCopyChanged(Failure):
    """A landed copy is missing or no longer has its recorded sha256."""


def landed_copy_problem(landing_dir: Path, landed_path: str, landed_sha256: str,
                        original_name: str) -> str | None:
    """What is wrong with one landed copy, in Polish, or None when it is intact."""
    path = landing_dir / landed_path
    if not path.exists():
        return (f"Brak kopii w landing: {path} (plik {original_name}). Kopie w landing są "
                f"niezmienne; przywróć ją z kopii zapasowej.")
    found = sha256_of(path)
    if found != landed_sha256:
        return (f"Kopia w landing została zmieniona po zapisie: {path} (plik {original_name}): "
                f"sha256 {found} zamiast zapisanego {landed_sha256}. Kopie w landing są "
                f"niezmienne; przywróć ją z kopii zapasowej albo usuń, by odświeżenie wczytało "
                f"plik ze skrzynki na nowo.")
    return None


def verify_landed_copies(inputs: pd.DataFrame, landing_dir: Path) -> None:
    """Stop the refresh when any landed copy it is about to read has changed."""
    problems = [problem for row in inputs.itertuples() if (problem := landed_copy_problem(
        landing_dir, row.landed_path, row.landed_sha256, row.original_name))]
    if problems:
        raise LandedCopyChanged(description="\n".join(problems))
