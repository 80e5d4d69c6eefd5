"""The printed page's geometry, in PDF points, shared by the tests of the real and the hostile PDFs."""

from __future__ import annotations

MM = 72 / 25.4  # PDF points in a millimetre
PAGE_WIDTH, SIDE_MARGIN = 210 * MM, 20 * MM  # A4 and print.css's left and right margins
