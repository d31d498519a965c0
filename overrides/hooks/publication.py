"""Build hook: who publishes the site, and how a reader reaches them.

mkdocs.yml's `extra.publication` names the publisher, the director of publication, the contact,
the repository, the host and the licences (another publisher fills in its own). From them:

- the « Mentions légales » page (docs/mentions-legales.md, marker `<!-- mentions-legales -->`);
- `signalement(page)`, a template function: where « Signaler une erreur » leads, with the page's
  title and address in the message: the configured target (`signalement`, a URL with `{adresse}`
  and `{titre}`), else a new issue on the repository, else an e-mail to the contact, else the
  legal notice's contact section;
- `<!-- contact -->` in a page (the accessibility statement): the contact, as a real link.
"""

from __future__ import annotations

import html
from urllib.parse import quote, urlencode

MARKER = "<!-- mentions-legales -->"
CONTACT_MARKER = "<!-- contact -->"
NOTICE = "mentions-legales/"


def settings(config) -> dict:
    return {
        key: (value or "").strip() if isinstance(value, str) else value
        for key, value in (config["extra"].get("publication") or {}).items()
    }


def repository_url(config) -> str | None:
    depot = settings(config).get("depot")
    return f"https://github.com/{depot}" if depot else None


def page_address(page, config) -> str:
    """The page's public address when the site has one, else its path from the site root."""
    return page.canonical_url or ("/" + (page.url or ""))


def report_link(page, config, what: str = "dans ce texte") -> str:
    """Where « Signaler une erreur » leads for this page."""
    conf = settings(config)
    title = page.title or ""
    address = page_address(page, config)
    subject = f"Erreur {what} : {title}" if title else f"Erreur {what}"
    body = f"Page : {address}\n\nCe qui est erroné (citez le passage) :\n\nCe qu'il faudrait lire, et la source :\n"
    if conf.get("signalement"):
        return conf["signalement"].format(adresse=quote(address, safe=""), titre=quote(title, safe=""))
    if repository_url(config):
        return f"{repository_url(config)}/issues/new?" + urlencode({"title": subject, "body": body}, quote_via=quote)
    if "@" in conf.get("contact", ""):
        return f"mailto:{conf['contact']}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)
    return _from_page(page, NOTICE + "#contact")


def _from_page(page, target: str) -> str:
    """A site path as a link relative to the page (the site may be served under a sub-path)."""
    depth = (page.url or "").count("/")
    return "../" * depth + target if depth else target


def contact_link(config) -> tuple[str, str] | None:
    """(address, text) of the publisher's contact: an e-mail, else the repository's issues."""
    conf = settings(config)
    contact = conf.get("contact", "")
    if "@" in contact:
        return f"mailto:{contact}", contact
    if contact.startswith("http"):
        return contact, contact
    if repository_url(config):
        return f"{repository_url(config)}/issues", f"les tickets du dépôt {conf['depot']}"
    return None


def on_env(env, config, files):
    env.globals["signalement"] = lambda page, what="dans ce texte": report_link(page, config, what)
    return env


def on_page_markdown(markdown, page, config, files):
    if MARKER in markdown:
        env = config.theme.get_env()
        notice = env.get_template("partials/mentions-legales.html").render(
            p=settings(config), depot_url=repository_url(config), contact=contact_link(config), config=config
        )
        markdown = markdown.replace(MARKER, notice)
    if CONTACT_MARKER in markdown:
        found = contact_link(config)
        link = (
            f'<a href="{html.escape(found[0])}">{html.escape(found[1])}</a>'
            if found
            else f'la rubrique <a href="{_from_page(page, NOTICE)}#contact">Contact</a> des mentions légales'
        )
        markdown = markdown.replace(CONTACT_MARKER, link)
    return markdown
