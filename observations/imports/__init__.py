"""File imports of field records (CSV, XLSX)."""
