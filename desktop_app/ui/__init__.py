"""PySide6 windows over the core Workspace."""
