"""Everything that crosses a boundary (nodes, agreements, change feed) lands here with the
exchange issue; the foundation only reserves the app."""
