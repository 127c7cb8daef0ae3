"""What the pages derive from the tables: SQL over the Parquet files, series, lanes, searches."""
