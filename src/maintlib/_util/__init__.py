"""Helpers that know nothing of maintlib's values: JSON text, atomic files, ISO 8601
durations and clock times, RRULEs on the wall clock, and short printable excerpts of
untrusted input with "did you mean" suggestions.

Imports nothing of maintlib; everything else may import it.
"""
