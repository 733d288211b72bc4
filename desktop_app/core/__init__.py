"""The whole domain of Báo cáo. Never imports Qt."""
