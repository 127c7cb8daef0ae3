"""The table contract: schemas, reading and writing tables, data files, date intervals."""
