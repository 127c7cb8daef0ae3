"""Tests of crossarticle."""
