"""Dialogs for the signed exchange: approve, export to a stick, import, keys and trust."""
