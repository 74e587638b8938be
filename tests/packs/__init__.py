"""Rule packs used by the tests (they are not installed)."""
