"""The layout's links (icon, stylesheet, script, navigation), built once per mount point.

Every page's layout asked ``url_for`` for the same nine addresses, about a tenth of a
quiz page's time. They depend only on where the app is mounted (``SCRIPT_NAME``).
"""

from __future__ import annotations

from flask import Flask, current_app, request, url_for

from webapp.pagecache import Lru

LINKS = {
    "icon": ("static", {"filename": "favicon.svg"}),
    "stylesheet": ("static", {"filename": "app.css"}),
    "script": ("static", {"filename": "app.js"}),
    "home": ("lessons.home", {}),
    "quizzes": ("quizzes.index", {}),
    "explorer": ("explorer.index", {}),
    "downloads": ("downloads.index", {}),
    "profile": ("lessons.profile", {}),
    "workshop": ("workshop.join", {}),
}


def init_app(app: Flask) -> None:
    """Give every template ``links``: the layout's addresses."""
    app.extensions["coopkit.layout"] = Lru(16)  # mount points: one, or a few behind proxies
    app.context_processor(lambda: {"links": layout_links()})


def layout_links() -> dict[str, str]:
    """The layout's addresses under this request's mount point."""
    known: Lru = current_app.extensions["coopkit.layout"]
    links = known.get(request.script_root)
    if links is None:
        links = {name: url_for(endpoint, **values) for name, (endpoint, values) in LINKS.items()}
        known.put(request.script_root, links)
    return links
