"""The spreadsheet writers."""
