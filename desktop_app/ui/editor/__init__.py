"""The report editor widget the main window embeds (see :class:`ReportEditor`)."""

from desktop_app.ui.editor.editor import ReportEditor

__all__ = ["ReportEditor"]
