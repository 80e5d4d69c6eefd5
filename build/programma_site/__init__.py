"""programma: turn a political programme kept as YAML into a website, PDFs and change summaries."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
