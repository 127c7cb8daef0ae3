"""Tests of nlp."""
