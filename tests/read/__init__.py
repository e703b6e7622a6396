"""Tests of govxl/read/: returns, .xlsx parts, the inbox, the roster, published reports (HTML, text, Word, PDF)."""
