"""Tests of govxl/results/: figures as values, the catalogue of finding ids."""
