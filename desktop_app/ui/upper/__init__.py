"""The upper office: who has reported, the consolidated figures, the consolidated report."""
