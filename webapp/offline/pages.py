"""The app's pages as files: requested through the test client, links made relative.

A page is kept when its endpoint is one a set of pages wants (``keep``); links to pages
outside the set are dropped from navigation lists or left as plain text, and the static
files the pages use are copied beside them. A URL becomes a file as a static host serves it:
``/themes/theme-1/`` → ``themes/theme-1/index.html``, ``/glossaire`` → ``glossaire.html``.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from course.course import Course

# The offline quiz stands where the server's quiz page would: links to it lead there.
REPLACED = {"quizzes.start": "offline.quiz"}
# Pages of the offline site: everything a learner reads, without a server.
SITE = {
    "lessons.home",
    "lessons.module",
    "lessons.slide",
    "lessons.notes",
    "lessons.glossary_page",
    "quizzes.index",
    "offline.quiz",
}
SITE_PREFIXES = ("explorer.",)

_LINK = re.compile(r'\b(href|src)="([^"]*)"')
_FORM = re.compile(r"<form\b.*?</form>\s*", re.DOTALL)
_ITEM = re.compile(r'<li>\s*<a [^>]*?href="([^"]*)"[^>]*>[^<]*</a>\s*</li>\s*')
_ANCHOR = re.compile(r'<a [^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)

Keep = Callable[[str, dict], bool]


class Pages:
    """The app built on ``course``, asked for its pages one by one."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        self.adapter = app.url_map.bind("localhost")
        self.static_prefix = app.static_url_path + "/"
        # Pages that stand for others in a set (a SCORM package's overview for the home).
        self.aliases: dict[str, str] = {}

    def endpoint(self, url: str) -> tuple[str, dict] | None:
        """The endpoint and arguments a GET of ``url`` reaches, or None."""
        try:
            return self.adapter.match(url, method="GET")
        except (HTTPException, RequestRedirect):
            return None

    def url(self, endpoint: str, **values) -> str:
        """``url_for`` outside a request."""
        with self.app.test_request_context():
            return url_for(endpoint, **values)

    def get(self, url: str) -> str:
        """A page's HTML; anything but a 200 is a bug of the site's list of pages."""
        response = self.client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code} while rendering offline")
        return response.get_data(as_text=True)

    def crawl(self, starts: Iterable[str], keep: Keep) -> dict[str, str]:
        """Every page reachable from ``starts`` through links to pages ``keep`` wants."""
        found: dict[str, str] = {}
        queue = list(starts)
        while queue:
            url = queue.pop(0)
            if url in found:
                continue
            found[url] = html = self.get(url)
            for _attribute, link in _LINK.findall(html):
                target = self.target(link)
                if target and target not in found and keep(*self.endpoint(target)):
                    queue.append(target)
        return found

    def target(self, link: str) -> str | None:
        """The page URL a link leads to (fragment dropped, replaced pages followed), or None
        for a link to something else (another site, a static file, a query)."""
        link = link.replace("&amp;", "&").split("#", 1)[0]
        if not link.startswith("/") or link.startswith(self.static_prefix) or "?" in link:
            return None
        found = self.endpoint(link)
        if found is None:
            return None
        endpoint, values = found
        if endpoint in REPLACED:
            link = self.url(REPLACED[endpoint], **values)
        return self.aliases.get(link, link)


def file_path(url: str) -> str:
    """Where a static host finds the page at ``url``."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path + ".html"


def as_files(pages: Pages, found: dict[str, str], keep_forms: Keep) -> dict[str, bytes]:
    """The pages as files with relative links, and the static files they use."""
    files: dict[str, bytes] = {}
    static: set[str] = set()
    for url, html in found.items():
        if not keep_forms(*pages.endpoint(url)):
            html = _FORM.sub("", html)  # a form needs the server
        files[file_path(url)] = _relinked(pages, found, url, html, static).encode("utf-8")
    folder = Path(pages.app.static_folder)
    for name in sorted(static):
        files[f"static/{name}"] = (folder / name).read_bytes()
    return files


def _relinked(pages: Pages, found: dict[str, str], url: str, html: str, static: set[str]) -> str:
    """``html`` with relative links; the static files it uses are added to ``static``."""
    here = posixpath.dirname(file_path(url)) or "."

    def gone(link: str) -> bool:
        return _internal(pages, link) and pages.target(link) not in found

    # Links to pages the set does not hold: a list item goes, a link keeps its text.
    html = _ITEM.sub(lambda m: "" if gone(m.group(1)) else m.group(0), html)
    html = _ANCHOR.sub(lambda m: m.group(2) if gone(m.group(1)) else m.group(0), html)

    def rewrite(match: re.Match[str]) -> str:
        attribute, link = match.groups()
        if not link.startswith("/"):
            return match.group(0)
        bare, _, fragment = link.partition("#")
        if bare.startswith(pages.static_prefix):
            name = bare.removeprefix(pages.static_prefix).split("?", 1)[0]
            static.add(name)
            return f'{attribute}="{posixpath.relpath("static/" + name, here)}"'
        target = pages.target(link)
        if target in found:
            anchor = f"#{fragment}" if fragment else ""
            return f'{attribute}="{posixpath.relpath(file_path(target), here)}{anchor}"'
        return match.group(0)  # a <link> to a page not in the set: left as it was

    return _LINK.sub(rewrite, html)


def _internal(pages: Pages, link: str) -> bool:
    """True for a link to one of the app's pages (not a static file, not another site)."""
    return link.startswith("/") and not link.startswith(pages.static_prefix)


@contextmanager
def app_pages(course: Course) -> Iterator[Pages]:
    """The app on ``course`` in a throw-away instance folder, with the offline quiz pages."""
    from webapp import create_app, db
    from webapp.offline.routes import bp

    with tempfile.TemporaryDirectory(prefix="coopkit-offline-") as instance:
        app = create_app(
            {
                "TESTING": True,
                "COURSE_ROOT": str(course.root),
                "INSTANCE_PATH": instance,
                "BUILD_DIR": str(Path(instance) / "build"),
                "DATABASE_URL": f"sqlite:///{Path(instance) / 'offline.sqlite3'}",
            }
        )
        app.register_blueprint(bp, url_prefix="/quiz")
        db.upgrade(db.database(app).engine)  # lesson pages record who read them
        try:
            yield Pages(app)
        finally:
            app.extensions["coopkit.db"].close()


def in_site(endpoint: str, _values: dict) -> bool:
    """The pages of the offline site."""
    return endpoint in SITE or endpoint.startswith(SITE_PREFIXES)


def only_quizzes(endpoint: str, _values: dict) -> bool:
    """Pages whose forms work without a server."""
    return endpoint == "offline.quiz"


def site_files(course: Course) -> dict[str, bytes]:
    """Every file of the offline site, by path relative to its folder."""
    with app_pages(course) as pages:
        found = pages.crawl([pages.url("lessons.home")], in_site)
        return as_files(pages, found, only_quizzes)
