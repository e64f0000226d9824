"""The analyst's decision files: CSV or YAML, every row kept, unreadable rows reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.decisions import read_decisions
from sources.errors import SourceFileError

CSV = (
    "decyzja;rekord;drugi_rekord;miejsce;kod_terc;uzasadnienie\n"
    "ten_sam;KRS:0000100001;pes_catalogue:katalog_pes_2020-12-31.csv:5;;;ta sama\n"
    "\n"  # a blank line is skipped, the numbering follows the file's lines
    "Różne;NIP:7391000047;PES-1A2B3C4D5E6F;;;dwa stowarzyszenia\n"
    "wydziel;7391000047;;;;bez rodzaju identyfikatora\n"
    "terc;;;Bartoszyce;28010;za krótki kod\n"
    "scal;KRS:1;KRS:2;;;\n"
)


def test_csv_decisions_are_numbered_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "decyzje.csv").write_text(CSV, encoding="utf-8")
    decisions = read_decisions(tmp_path)
    assert [(d.number, d.kind) for d in decisions] == [
        ("decyzje.csv:2", "same"), ("decyzje.csv:4", "different"), ("decyzje.csv:5", "split"),
        ("decyzje.csv:6", "terc"), ("decyzje.csv:7", "")]
    problems = [d.problem for d in decisions]
    assert problems[:2] == ["", ""]
    assert problems[2].startswith("kolumna rekord: „7391000047” nie jest odwołaniem")
    assert problems[3].startswith("kolumna kod_terc: „28010”")
    assert problems[4].startswith("kolumna decyzja: nieznana wartość „scal”")


def test_yaml_decisions_read_like_csv_ones(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text(
        "- decyzja: terc\n  miejsce: Bartoszyce\n  kod_terc: 0201011\n"  # a code, not a number
        "- {decyzja: wydziel, rekord: 'REGON:510000011'}\n", encoding="utf-8")
    (tmp_path / "notatki.txt").write_text("not a decision file", encoding="utf-8")
    decisions = read_decisions(tmp_path)
    assert [(d.number, d.kind, d.terc or d.reference, d.problem) for d in decisions] == [
        ("a.yml:1", "terc", "0201011", ""), ("a.yml:2", "split", "REGON:510000011", "")]


def test_no_folder_means_no_decisions(tmp_path: Path) -> None:
    assert read_decisions(tmp_path / "missing") == []


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("d.csv", b"KRS;NIP\n1;2\n", "a header line with the columns"),
    ("d.csv", "decyzja;rekord\nróżne;x\n".encode("cp1250"), "a UTF-8 text file"),
    ("d.yml", b"decyzja: [unclosed", "a YAML list of decisions"),
    ("d.yml", b"decyzja: terc\n", "a YAML list of decisions"),
])
def test_an_unreadable_file_names_itself(tmp_path: Path, name: str, content: bytes,
                                         expected: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(SourceFileError, match=expected) as raised:
        read_decisions(tmp_path)
    assert str(raised.value).startswith(f"{name}: expected")
