"""Print preview, printing and "Lưu PDF" inside the app.

Pages are rasterised with pypdfium2 (shipped with the app), so an office with no PDF reader
installed can still see and print its documents; printing paints each page at the printer's
own resolution through ``QPrinter``, with the page range and number of copies from the
system's print dialog.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import CoreError
from desktop_app.core.store.files import write_atomic
from desktop_app.ui.i18n import Texts
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.tasks import TaskRunner

PREVIEW_DPI = 96
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
PREFERRED_SIZE = (900, 1000)  # a whole A4 page at 96 dpi where the screen is tall enough


def render_pages(pdf: bytes, dpi: float, pages: range | None = None) -> list[QImage]:
    """Pages of ``pdf`` as images at ``dpi`` (safe to call off the GUI thread)."""
    document = pdfium.PdfDocument(pdf)
    try:
        indexes = pages if pages is not None else range(len(document))
        return [_page_image(document[i], dpi / 72) for i in indexes]
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


# pdfium's pixel layouts (with ``rev_byteorder``) and the QImage format reading the same bytes.
# Reading a 3-byte RGB bitmap as RGBA8888 gave blank pages, so the format follows the bitmap.
QIMAGE_FORMATS = {
    "RGBX": QImage.Format.Format_RGBX8888,
    "RGBA": QImage.Format.Format_RGBA8888,
    "RGB": QImage.Format.Format_RGB888,
    "L": QImage.Format.Format_Grayscale8,
}


def _page_image(page: pdfium.PdfPage, scale: float) -> QImage:
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
    try:
        layout = QIMAGE_FORMATS[bitmap.mode]
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, layout)
        return image.copy()  # own the pixels: the bitmap's buffer is freed with it
    finally:
        bitmap.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint the chosen page range onto ``printer``; returns the number of pages sent."""
    total = page_count(pdf)
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), total) if printer.toPage() else total
    painter = QPainter()
    dpi = printer.resolution()
    try:
        for index, number in enumerate(range(first, last + 1)):
            image = render_pages(pdf, dpi, range(number - 1, number))[0]
            _turn_paper(printer, image)  # takes effect from the page begun next
            if index == 0:
                if not painter.begin(printer):
                    raise CoreError("printer.unavailable")
            else:
                printer.newPage()
            page = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            area = QRect(0, 0, page.width(), page.height())
            painter.setViewport(area)
            painter.setWindow(area)
            painter.drawImage(_fit(image, area), image)
    finally:
        if painter.isActive():
            painter.end()
    return last - first + 1


def _turn_paper(printer: QPrinter, image: QImage) -> None:
    """A landscape page (a wide table) goes on paper turned the same way, at full size."""
    wide = image.width() > image.height()
    turned = QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait
    printer.setPageOrientation(turned)


def _fit(image: QImage, area: QRect) -> QRect:
    scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    return QRect(area.x(), area.y(), scaled.width(), scaled.height())


class PreviewDialog(QDialog):
    """Shows a PDF's pages with Print and Save buttons."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        texts: Texts,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pdf, self.texts, self.runner = pdf, texts, runner
        self.suggested_name = suggested_name
        self.zoom = 1.0
        self.images: list[QImage] = []
        self.setWindowTitle(texts("preview.title", title=title))
        resize_to_fit(self, *PREFERRED_SIZE)
        self._build()
        self._load()

    def _build(self) -> None:
        self.pages = QVBoxLayout()
        self.pages.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        holder = QWidget()
        holder.setLayout(self.pages)
        holder.setStyleSheet("background: #6b6b6b;")
        scroll = QScrollArea()
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        self.status = QLabel(self.texts("preview.loading"))
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        buttons = (
            ("preview.print", self.print_document, QKeySequence.StandardKey.Print),
            ("preview.save_pdf", self.save_pdf, QKeySequence.StandardKey.Save),
            ("preview.zoom_in", lambda: self.step_zoom(1), QKeySequence.StandardKey.ZoomIn),
            ("preview.zoom_out", lambda: self.step_zoom(-1), QKeySequence.StandardKey.ZoomOut),
            ("preview.close", self.reject, QKeySequence.StandardKey.Close),
        )
        for code, slot, shortcut in buttons:
            button = QPushButton(self.texts(code))
            button.clicked.connect(slot)
            button.setShortcut(QKeySequence(shortcut))
            button.setMinimumHeight(36)
            bar.addWidget(button)
        bar.addStretch(1)
        return bar

    def _load(self) -> None:
        self.runner.run(render_pages, self.pdf, PREVIEW_DPI, on_done=self._show, error_parent=self)

    def _show(self, images: list[QImage]) -> None:
        self.images = images
        self._relayout()
        self.status.setText(self.texts("preview.pages", count=len(images)))

    def _relayout(self) -> None:
        while (item := self.pages.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        for image in self.images:
            label = QLabel()
            pixmap = QPixmap.fromImage(image)
            if self.zoom != 1.0:
                pixmap = pixmap.scaledToWidth(
                    int(image.width() * self.zoom), Qt.TransformationMode.SmoothTransformation
                )
            label.setPixmap(pixmap)
            self.pages.addWidget(label)

    def step_zoom(self, direction: int) -> None:
        position = min(range(len(ZOOM_STEPS)), key=lambda i: abs(ZOOM_STEPS[i] - self.zoom))
        position = max(0, min(len(ZOOM_STEPS) - 1, position + direction))
        self.zoom = ZOOM_STEPS[position]
        self._relayout()

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setFromTo(1, max(len(self.images), 1))
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(len(self.images), 1))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        # Native print drivers expect the GUI thread; a document prints in seconds.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = print_pdf(self.pdf, printer)
        except (OSError, CoreError) as error:
            self.runner.show_error(error, self)
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.status.setText(self.texts("preview.printed", count=pages))

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.texts("preview.save_pdf"), self.suggested_name, "PDF (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        self.runner.run(
            write_atomic,
            path,
            self.pdf,
            on_done=lambda saved: self.status.setText(self.texts("preview.saved", path=str(saved))),
            error_parent=self,
        )
