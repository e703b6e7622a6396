"""Everything that reads or writes spreadsheet files."""
