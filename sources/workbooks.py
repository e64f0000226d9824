"""Workbooks we write ourselves, saved so that the same cells always give the same bytes.

openpyxl stamps the save time into the document properties and into every zip entry; a
landed copy is named and checked by its sha256, so identical inputs must give identical copies
(and identical release manifests).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

DOCUMENT_TIME = datetime(2000, 1, 1)
ZIP_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
CORE_PROPERTIES = "docProps/core.xml"
# openpyxl sets `modified` to the time of saving whatever the workbook says
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save_deterministically(workbook: Workbook, target: Path) -> None:
    workbook.properties.created = DOCUMENT_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as saved, zipfile.ZipFile(target, "w") as out:
        for entry in saved.infolist():
            fixed = zipfile.ZipInfo(entry.filename, ZIP_ENTRY_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            content = saved.read(entry.filename)
            if entry.filename == CORE_PROPERTIES:
                content = MODIFIED.sub(
                    rb"\g<1>" + DOCUMENT_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\2",
                    content)
            out.writestr(fixed, content)
