"""Reading: workbooks, published documents, merged workbooks' unit rows, the inbox, the roster."""
