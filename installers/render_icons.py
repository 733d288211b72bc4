"""Render installers/linux/baocao.svg to the PNG (Linux menus) and the ICO (Windows programs,
installer and uninstaller). Run after editing the SVG; the outputs are committed.

    .venv/bin/python installers/render_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

INSTALLERS = Path(__file__).resolve().parent
SVG = INSTALLERS / "linux" / "baocao.svg"
PNG = INSTALLERS / "linux" / "baocao.png"
ICO = INSTALLERS / "windows" / "baocao.ico"
PNG_SIDE = 256
ICO_SIDES = (16, 24, 32, 48, 64, 128, 256)


def render(side: int) -> bytes:
    """The SVG as a PNG of ``side`` × ``side`` pixels (Qt's own SVG renderer, no display)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, b"PNG")
    return bytes(buffer.data().data())


def main() -> int:
    from PIL import Image

    PNG.write_bytes(render(PNG_SIDE))
    largest = Image.open(io.BytesIO(render(max(ICO_SIDES))))
    largest.save(ICO, format="ICO", sizes=[(side, side) for side in ICO_SIDES])
    print(f"{PNG.relative_to(INSTALLERS)} and {ICO.relative_to(INSTALLERS)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
