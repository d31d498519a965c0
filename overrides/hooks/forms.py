"""Build hook: forms (being written)."""
