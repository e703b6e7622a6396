"""Tests of the writers (govxl/excel/, govxl/report/, govxl/outputs.py), in LibreOffice too."""
