"""Tests of govxl/editions/: the official formats as data."""
