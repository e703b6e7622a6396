"""The version of govxl (a module of its own, so that every module can read it without importing the API)."""

__version__ = "0.1.0"
