"""Build hook: vendor_runtime (being written)."""
