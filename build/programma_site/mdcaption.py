"""Markdown extension: treat <caption> as block HTML, so md_in_html keeps it inside its <table>."""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension


class CaptionExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.block_level_elements.append("caption")


def makeExtension(**kwargs: object) -> CaptionExtension:
    return CaptionExtension(**kwargs)
