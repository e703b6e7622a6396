"""govxl: templates, merging and checks for the 政府信息公开工作年度报告 tables."""

__version__ = "0.1.0"
