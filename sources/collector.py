"""Python's cycle collector paused while many objects are built that hold no reference cycle."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycles_not_collected() -> Iterator[None]:
    """Python's cycle collector paused for the time of the block.

    Parsing tens of thousands of extracts makes hundreds of thousands of new tuples of text,
    and resolving a country's entities as many sets and groups, none in a reference cycle; the
    collector would walk the growing pile again and again as they are made (~4% of the parse,
    a third of the resolution of 100 000 organisations).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
