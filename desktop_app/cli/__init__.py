"""The `baocao` command: thin wrappers over one Workspace."""
