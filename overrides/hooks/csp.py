"""Build hook: a Content-Security-Policy meta tag on every page (GitHub Pages sets no headers).

Only the site's own origin, plus 'wasm-unsafe-eval' for Pyodide. The theme's few inline
scripts are allowed by their SHA-256 hash, computed here from the built pages, so the policy
never needs 'unsafe-inline'. Runs before the service worker is generated (it changes pages; vendor_runtime.py's on_post_build comes last).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
CHARSET = '<meta charset="utf-8">'


def policy(script_hashes: set[str]) -> str:
    hashes = " ".join(f"'sha256-{h}'" for h in sorted(script_hashes))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def inline_hashes(html: str) -> set[str]:
    return {
        base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() for body in INLINE_SCRIPT.findall(html)
    }


def with_policy(html: str, script_hashes: set[str]) -> str:
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes)}">'
    return html.replace(CHARSET, CHARSET + "\n    " + meta, 1)


def on_post_build(config):
    # One policy for the whole site: instant navigation keeps the first page's meta tag while it
    # runs the inline scripts of every later page.
    pages = {page: page.read_text("utf-8") for page in Path(config["site_dir"]).rglob("*.html")}
    pages = {page: html for page, html in pages.items() if CHARSET in html and "Content-Security-Policy" not in html}
    hashes = set().union(*map(inline_hashes, pages.values()))
    for page, html in pages.items():
        page.write_text(with_policy(html, hashes), "utf-8")
