"""The spaCy pipeline and its faster, identical components."""
