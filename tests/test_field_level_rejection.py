"""A bad identifier costs that identifier, not the organisation (docs/entity_model.md).

A catalogue written by the test replaces the hand-made inbox's one and is refreshed for real
(period end 2020-12-31). Its four rows, checked by hand with the NIP weights 6 5 7 2 3 4 5 6 7
and the REGON weights 8 9 2 3 4 5 6 7:

- line 2: KRS 100001 with NIP 7391000019 (the check digit is 8) and REGON 510000012 (the check
  digit is 1): both set aside, the row joins the KRS 100001 association on its KRS;
- line 3: no KRS, NIP 7391000025 (the check digit is 4), REGON 510000028 valid: the NIP set
  aside, the row joins the foundation of KRS 100002 (its extract holds that REGON);
- line 4: only a NIP, 7391000019 (bad), and the powiat `warszawski` of another region: nothing
  identifies or places it, so the row is quarantined whole (unknown powiat, bad NIP, no key);
- line 5: no KRS, NIP 7391000048 (the check digit is 7), in Gietrzwałd: the NIP set aside, the
  row stays an entity of its own, on its name in its gmina.

So 4 rows read, 3 accepted, 1 quarantined, 4 values set aside (2 + 1 + 1).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import Refresh, SecondRefresh, copy_of_refresh

HEADER = ("Lp.;Nazwa podmiotu;Typ PES;Numer KRS;KRS podmiotu prowadzącego;NIP;REGON;Powiat;Gmina;"
          "Miejscowość;Data rozpoczęcia działalności;Data zakończenia działalności")
ROWS = [
    "1;Stowarzyszenie Razem w Dywitach;stowarzyszenie;100001;;739-100-00-19;510000012;"
    "olsztyński;Dywity;Dywity;01.03.2015;",
    "2;Fundacja Pomocna Dłoń;fundacja;;;7391000025;510000028;m. Olsztyn;Olsztyn;Olsztyn;"
    "10.06.2017;",
    "3;Stowarzyszenie Bez Niczego;stowarzyszenie;;;7391000019;;warszawski;Warszawa;Warszawa;"
    "01.01.2017;",
    "4;Stowarzyszenie Nowe;stowarzyszenie;;;7391000048;;OLSZTYŃSKI;Gietrzwałd;Gietrzwałd;"
    "05.05.2020;",
]
CATALOGUE = "katalog_pes_2020-12-31.csv"


@pytest.fixture(scope="module")
def typos(tmp_path_factory: pytest.TempPathFactory, refreshed: Refresh) -> Refresh:
    """The session's refresh copied whole, its catalogue replaced, refreshed again."""
    root = tmp_path_factory.mktemp("typos")
    first = copy_of_refresh(refreshed, root)
    (first.inbox / "pes_catalogue" / CATALOGUE).write_bytes(
        ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("cp1250"))
    # 4 rows in place of 12: the volume guard (tests/test_volume_guard.py) is not the point here
    return SecondRefresh(first).again(PES_MAX_ROW_DROP_SHARE="1")


def test_rows_with_a_bad_identifier_stay_and_reconcile(typos: Refresh) -> None:
    assert typos.result.success
    files = typos.query("select rows_read, rows_accepted, rows_quarantined, values_set_aside "
                        "from audit.source_file where source = 'pes_catalogue'")
    assert files.values.tolist() == [[4, 3, 1, 4]]
    quarantine = typos.query("select line, field, reason_code, scope from audit.quarantine "
                             "where source = 'pes_catalogue'")
    assert set(quarantine.itertuples(index=False, name=None)) == {
        (2, "NIP", "invalid_nip", "field"), (2, "REGON", "invalid_regon", "field"),
        (3, "NIP", "invalid_nip", "field"), (5, "NIP", "invalid_nip", "field"),
        (4, "Powiat", "unknown_teryt_unit", "row"), (4, "NIP", "invalid_nip", "row"),
        (4, "Nazwa podmiotu", "unidentified_row", "row")}
    published = pd.read_csv(typos.publish / "kwarantanna.csv", sep=";", dtype=str)
    catalogue = published[published["zrodlo"] == "Katalog PES (ROPS)"]
    assert catalogue.groupby("skutek").size().to_dict() == {
        "wartość pominięta, wiersz przyjęty": 4, "wiersz odrzucony": 3}
    staged = typos.query("select source_line, nip, regon from staging.pes_catalogue "
                         "order by source_line")
    assert staged["nip"].isna().all()
    assert staged["regon"].tolist()[1] == "510000028"


def test_rows_are_resolved_on_their_other_keys(typos: Refresh) -> None:
    links = typos.query("""
        select l.source_line, l.rule, e.krs, e.gmina_code
        from core.entity_link l join core.pes_entity e using (entity_id)
        where l.source = 'pes_catalogue' order by l.source_line""")
    assert [tuple(r) for r in links.itertuples(index=False, name=None)] == [
        (2, "krs", "0000100001", "2814042"),
        (3, "regon", "0000100002", "2862011"),
        (5, "alone", None, "2814052"),
    ]


def test_the_quality_report_says_what_each_problem_cost_the_counts(typos: Refresh) -> None:
    effect = typos.query("select reason_code, rows_removed, values_set_aside, entities_kept "
                         "from marts.quarantine_effect where source = 'pes_catalogue'")
    assert {r[0]: tuple(r[1:]) for r in effect.itertuples(index=False, name=None)} == {
        "invalid_nip": (1, 3, 3), "invalid_regon": (0, 1, 1),
        "unknown_teryt_unit": (1, 0, 0), "unidentified_row": (1, 0, 0)}
    report = (typos.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    assert "Skutek dla liczby podmiotów" in report
    assert "NIP z błędną cyfrą kontrolną" in report
