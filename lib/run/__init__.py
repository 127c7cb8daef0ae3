"""The preprocessing run: caching, worker processes, fingerprints, adding articles."""
