"""Judging: the rule engine, error localisation, the catalogue of findings. Figures in, never files."""
