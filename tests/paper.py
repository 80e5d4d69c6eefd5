"""The printed page: its geometry in PDF points and its words, for the tests of the real and the hostile PDFs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.etree import ElementTree

MM = 72 / 25.4  # PDF points in a millimetre
PAGE_WIDTH, SIDE_MARGIN = 210 * MM, 20 * MM  # A4 and print.css's left and right margins


class Word:
    """One printed word and where it runs across the page."""

    def __init__(self, element: ElementTree.Element) -> None:
        self.text = element.text or ""
        self.x_min, self.x_max = float(element.attrib["xMin"]), float(element.attrib["xMax"])


NAMESPACE = {"x": "http://www.w3.org/1999/xhtml"}


def printed_pages(pdf: Path) -> list[ElementTree.Element]:
    """Each page with its words' boxes (`pdftotext -bbox-layout`).

    Poppler writes characters beyond U+FFFF in the document's metadata as broken UTF-8
    (one surrogate at a time): those bytes are replaced, the words themselves are sound.
    """
    command = ["pdftotext", "-bbox-layout", str(pdf), "-"]
    xhtml = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8", "replace")
    return ElementTree.fromstring(xhtml).findall(".//x:page", NAMESPACE)


def words_of(page: ElementTree.Element) -> list[Word]:
    return [Word(word) for word in page.iterfind(".//x:word", NAMESPACE)]


def printed_words(pdf: Path) -> list[list[Word]]:
    """Every word with its box, page by page."""
    return [words_of(page) for page in printed_pages(pdf)]
