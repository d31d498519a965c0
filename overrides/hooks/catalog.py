"""Build hook: catalog (being written)."""
