"""Tests of the commands (govxl/merge.py, check.py, audit.py, history.py, template.py, export.py) and the front door."""
