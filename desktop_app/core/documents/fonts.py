"""Registering the bundled Liberation Serif 2.x fonts with reportlab.

Only files from ``resources/fonts`` are used: documents must look the same on every office PC and
embed a font that covers all Vietnamese letters, whatever is installed on the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desktop_app.core.documents.profiles import FontFiles, ProfileError
from desktop_app.core.paths import resource


@dataclass(frozen=True)
class FontNames:
    """reportlab names of the four registered faces of one family."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def pick(self, *, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


def fonts_dir() -> Path:
    return resource("fonts")


def font_path(file_name: str) -> Path:
    return fonts_dir() / file_name


def register_fonts(files: FontFiles) -> FontNames:
    """Register the four faces once per process and map <b>/<i> in paragraphs to them."""
    names = FontNames(
        regular=_register(files.regular),
        bold=_register(files.bold),
        italic=_register(files.italic),
        bold_italic=_register(files.bold_italic),
    )
    for bold, italic, name in (
        (0, 0, names.regular), (1, 0, names.bold), (0, 1, names.italic), (1, 1, names.bold_italic),
    ):
        addMapping(names.regular, bold, italic, name)
    return names


def _register(file_name: str) -> str:
    name = Path(file_name).stem
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    path = font_path(file_name)
    if not path.is_file():
        raise ProfileError("document.font.missing", font=file_name)
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except TTFError as error:
        raise ProfileError("document.font.unreadable", font=file_name) from error
    return name
