"""Tests of govxl/judge/: the rule engine, every rule, error localisation."""
