"""Tests of the pages and the served dashboard."""
