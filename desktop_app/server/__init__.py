"""``baocao serve``: the upper office's receiving service (issue 16), a thin HTTP layer over one
Workspace, like the CLI and the windows: every store call goes through ``ws.<area>.<verb>``."""
