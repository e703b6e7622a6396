"""Tests of the core modules beneath the stages (govxl/workers.py)."""
