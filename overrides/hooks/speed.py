"""Build hook: the theme's script no longer blocks the first paint.

mkdocs-material puts its bundle at the end of <body> as a classic script: the browser stops
parsing there, and Lighthouse counts it as render-blocking. With `defer`, it runs once the page
is parsed, before DOMContentLoaded, and still before the site's module scripts (deferred too, in
document order), which read its `document$`. Instant navigation is the bundle's own work and is
unchanged.
"""

from __future__ import annotations

import re

BUNDLE = re.compile(r'<script src="([^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def deferred(html: str) -> str:
    return BUNDLE.sub(r'<script src="\1" defer></script>', html, count=1)


def on_post_page(output, page, config):
    return deferred(output)


def on_post_template(output_content, template_name, config):
    return deferred(output_content) if template_name.endswith(".html") else output_content
