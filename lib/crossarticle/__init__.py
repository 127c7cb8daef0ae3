"""Steps over all articles' rows: linking events, aligning facts and statements."""
