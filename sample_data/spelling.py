"""How offices write the same value in different ways (the mess of docs/inputs.md).

Every reader must undo these habits, so the sample has them on purpose, drawn at rates that look
like a real hand-kept register: most values clean, a steady minority written another way.
"""

import random
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # territory.py uses ascii_fold from here
    from sample_data.territory import Gmina, Territory

_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def ascii_fold(text: str) -> str:
    """`text` without Polish diacritics, as typed on a keyboard without them."""
    return text.translate(_FOLD)


def date_pl(value: date | None) -> str:
    """`dd.mm.yyyy`, or an empty string for no date (an open end date)."""
    return "" if value is None else value.strftime("%d.%m.%Y")


def nip_as_written(rng: random.Random, nip: str | None) -> str:
    """A NIP in one of the three written forms: `7391234567`, `739-123-45-67`, `PL7391234567`."""
    if nip is None:
        return ""
    draw = rng.random()
    if draw < 0.7:
        return nip
    if draw < 0.9:
        return f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    return f"PL{nip}"


def krs_as_written(rng: random.Random, krs: str | None, short_share: float = 0.3) -> str:
    """A KRS number, its leading zeros lost in `short_share` of cases (spreadsheets eat them)."""
    if krs is None:
        return ""
    return krs.lstrip("0") if rng.random() < short_share else krs


def powiat_as_written(rng: random.Random, name: str, is_city: bool) -> str:
    """A powiat as typed: `olsztyński`, `powiat olsztyński`, `OLSZTYŃSKI`, `m. Olsztyn`, `Elblag`.

    `name` is the TERC name (`olsztyński`, or `Olsztyn` for a city with powiat rights).
    """
    draw = rng.random()
    if is_city:
        if draw < 0.5:
            return name
        if draw < 0.85:
            return f"m. {name}"
        return ascii_fold(name)
    if draw < 0.55:
        return name
    if draw < 0.8:
        return f"powiat {name}"
    if draw < 0.95:
        return name.upper()
    return ascii_fold(name)


def gmina_as_written(rng: random.Random, gmina: "Gmina", territory: "Territory",
                     beside_powiat: bool) -> str:
    """A gmina as typed in a register's `Gmina` column.

    Mostly the TERC name, sometimes in upper case, after `gm.`/`Gmina` or without Polish
    letters. A name that is not enough to find the gmina is written as offices write it to be
    understood: the kind of an urban or rural namesake (`Gmina Miejska Bartoszyce`, `Bartoszyce
    - gmina wiejska`), and the powiat where the register has no powiat column (`Świętajno,
    pow. olecki`).
    """
    name = gmina.name
    namesakes = territory.namesakes(gmina)
    same_powiat = [g for g in namesakes if g.powiat is gmina.powiat]
    if same_powiat or (namesakes and gmina.kind == 1 and not beside_powiat):
        if gmina.kind == 1:
            return rng.choice((f"Gmina Miejska {name}", f"m. {name}", f"miasto {name}"))
        return rng.choice((f"gmina wiejska {name}", f"{name} - gmina wiejska",
                           f"gm. wiejska {name}"))
    if namesakes and not beside_powiat:
        return f"{name}, pow. {gmina.powiat.name}"
    draw = rng.random()
    if draw < 0.7:
        return name
    if draw < 0.8:
        return name.upper()
    if draw < 0.9:
        return rng.choice((f"gm. {name}", f"Gmina {name}"))
    return ascii_fold(name)


def name_as_written(rng: random.Random, name: str, respelled_share: float) -> str:
    """The name, or in `respelled_share` of cases another spelling of it (see `respelled`)."""
    return respelled(rng, name) if rng.random() < respelled_share else name


def respelled(rng: random.Random, name: str) -> str:
    """The same name typed by someone else: no Polish letters, upper case, trailing spaces.

    Always different from `name`, so a reader cannot match the two by plain equality.
    """
    spelling = ascii_fold(name)
    if spelling == name or rng.random() < 0.6:
        spelling = spelling.upper()
    if rng.random() < 0.5:
        spelling += " " * rng.randint(1, 3)
    return spelling


def replace_digits(written: str, digits: str) -> str:
    """`written` (e.g. `739-123-45-67`) with its digits replaced in order by `digits`."""
    replacement = iter(digits)
    return "".join(next(replacement) if char.isdigit() else char for char in written)
