"""Judging: the rule engine, its expression language, error localisation. Figures in, never files."""
