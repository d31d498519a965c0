"""Build hook: metadata (being written)."""
