"""The areas a :class:`~desktop_app.core.workspace.Workspace` hands out.

Each area is the one door to its part of the domain for the CLI and the windows: it holds the
live store and calls the layer modules below with plain data. Nothing below imports an area.
"""
