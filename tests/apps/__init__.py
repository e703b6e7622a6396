"""Tests of govxl/apps/: the command line and govxl serve."""
