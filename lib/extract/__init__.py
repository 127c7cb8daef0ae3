"""The extractors, one module per table, and the per-article driver (`article`)."""
