"""A refresh killed (SIGKILL) at any moment leaves a complete current release, and the next
refresh publishes what an uninterrupted one would have.

Killed at three points before publishing (after landing, staging and entity resolution, in
full refreshes) and at every step boundary of the publish step (runs of that step alone, on
marts a refresh has computed, so the test needs few full refreshes).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from dagster import AssetKey, AssetSelection, DagsterInstance, DagsterRunStatus, RunsFilter

from pipelines.definitions import build_definitions
from tests.conftest import SecondRefresh, run_refresh
from tests.refresh_process import finished, start_publish_step, start_refresh

EARLY_POINTS = ["after:landing__pes_catalogue", "after:staging__pes_catalogue",
                "after:entity_tables"]
PUBLISH_POINTS = ["publish:downloads", "publish:quality_report", "publish:dashboard",
                  "publish:manifest", "publish:folder", "publish:accepted", "publish:latest"]
RELEASE_FILES = {"dashboard.html", "kwarantanna.csv", "metodologia.html", "podmioty.csv",
                 "podmioty.xlsx", "raport_jakosci.html", "release.json", "wskazniki.csv",
                 "wskazniki.xlsx", "zmiany_identyfikatorow.csv"}


def drop_catalogue_line(inbox: Path, starting: bytes) -> None:
    """A newer catalogue export without one row (the association Nowe, active from 2020-05)."""
    older = (inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv").read_bytes()
    lines = older.split(b"\r\n")
    kept = [line for line in lines if not line.startswith(starting)]
    assert len(kept) == len(lines) - 1
    (inbox / "pes_catalogue" / "katalog_pes_2021-01-31.csv").write_bytes(b"\r\n".join(kept))


def current_release(publish: Path) -> dict:
    """The release `latest` leads to, checked complete; returns its manifest."""
    latest = publish / "latest"
    assert latest.is_symlink()
    folder = latest.resolve()
    assert {p.name for p in folder.iterdir()} == RELEASE_FILES
    manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    assert manifest["release_id"] == folder.name
    assert (folder / "dashboard.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    return manifest


def without_run(manifest: dict) -> dict:
    return {k: manifest[k] for k in ("inputs", "indicators", "reference_files", "mapping_files",
                                     "entity_decisions", "period_end")}


def test_a_killed_refresh_leaves_a_complete_release_and_the_next_one_catches_up(
    published_copy: SecondRefresh, tmp_path: Path,
) -> None:
    first = published_copy.first
    publish = first.root / "var" / "publish"
    before = current_release(publish)
    drop_catalogue_line(first.inbox, b"11;")

    # what an uninterrupted refresh of the new inputs publishes, in a copy
    uninterrupted = tmp_path / "uninterrupted"
    shutil.copytree(first.root, uninterrupted, symlinks=True)
    env = {**first.env, "PES_INBOX": str(uninterrupted / first.inbox.name),
           "PES_VAR": str(uninterrupted / "var"),
           "PES_KEY_FILE": str(uninterrupted / "secrets" / "pseudonym.key")}
    assert run_refresh(env).success
    expected = current_release(uninterrupted / "var" / "publish")

    for point in EARLY_POINTS:
        code, _, err = finished(start_refresh(first, PES_KILL_AT=point))
        assert code == -9, err[-2000:]
        assert current_release(publish) == before

    # marts of the new inputs, as a refresh leaves them when it reaches the publish step
    upstream = AssetSelection.all() - AssetSelection.assets(AssetKey(["publish", "dashboard"]))
    defs = build_definitions(first.env)
    prepared = defs.resolve_job_def("monthly_refresh").execute_in_process(
        instance=DagsterInstance.ephemeral(), raise_on_error=False,
        asset_selection=list(upstream.resolve(defs.resolve_asset_graph())))
    assert prepared.success
    for point in PUBLISH_POINTS:
        code, _, err = finished(start_publish_step(first, PES_KILL_AT=point))
        assert code == -9, err[-2000:]
        now = current_release(publish)
        if point != "publish:latest":
            # accepted but not yet switched: still the earlier release, until the next publish
            assert now == before, point
        else:
            assert now["release_id"] != before["release_id"]

    code, out, err = finished(start_refresh(first))
    assert code == 0, err[-2000:]
    assert "oznaczony jako nieudany" in out  # the last killed run, left STARTED
    final = current_release(publish)
    assert without_run(final) == without_run(expected)
    assert {p.name for p in (publish / "releases").iterdir()} >= {
        before["release_id"], final["release_id"]}
    assert not [p for p in (publish / "releases").iterdir() if p.name.startswith(".")]
    instance = DagsterInstance.from_config(str(first.root / "var" / "dagster"))
    assert not instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED]))
