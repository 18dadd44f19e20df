"""In-memory caches of a worker: pages that are the same for every learner, and rows
already written to the database that need not be looked up or written again.

The course is loaded once at start-up and does not change while the app runs, so a
lesson page is the same HTML for every learner. The one learner-specific part of the
layout is the flashed messages: a request that has some renders afresh (and does not
touch the cache). Views with learner-specific content must not use the page cache.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, request, session
from markupsafe import Markup

PAGES = 1024  # pages per worker: every slide of a course five times the shipped one
STORED = 100_000  # rows (learners, slide views) known to be stored: a few MB per worker


class Lru:
    """A thread-safe map that forgets its least recently used entry beyond ``capacity``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value for ``key``, or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` (not None) for ``key``."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            if len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app) -> None:
    """Give the app its (empty) caches."""
    app.extensions["coopkit.pages"] = Lru(PAGES)
    app.extensions["coopkit.stored"] = Lru(STORED)


def rendered_page(key: Hashable, render: Callable[[], Any]) -> Any:
    """The page for ``key``: from memory, else ``render()``'d and kept.

    Two threads asking for a page not yet kept may both render it; the HTML is the same.
    """
    if "_flashes" in session:  # the layout shows them: this page is the learner's own
        return render()
    pages: Lru = current_app.extensions["coopkit.pages"]
    key = (request.script_root, key)  # the page's links start with the mount point
    page = pages.get(key)
    if page is None:
        page = render()
        pages.put(key, page)
    return page


def page_with_holes(key: Hashable, render: Callable[..., str], **holes: str) -> str:
    """A page kept as a frame with named holes, filled with ``holes`` for this request.

    For pages whose frame (layout, titles, links) is the same for every learner but
    whose middle is not: ``render(**markers)`` renders the page with a marker in place
    of each hole; the frame is kept split at the markers, and each request only joins
    its own content in. Rendering the layout through Jinja was a third of a quiz page.
    The markers are HTML comments, which escaped course text cannot contain.
    """

    def frame() -> list[str]:
        markers = {name: Markup(f"<!--hole:{name}-->") for name in holes}
        return re.split(r"<!--hole:(\w+)-->", render(**markers))

    parts = rendered_page((key, *sorted(holes)), frame)
    # re.split puts each marker's name at the odd positions, between the frame's texts.
    return "".join(holes[part] if index % 2 else part for index, part in enumerate(parts))


def is_stored(row: Hashable) -> bool:
    """Whether this worker has seen ``row`` (a tuple naming it) committed."""
    return current_app.extensions["coopkit.stored"].get(row) is not None


def note_stored(row: Hashable) -> None:
    """Note, after a commit, that ``row`` is stored (learners and views are never deleted)."""
    current_app.extensions["coopkit.stored"].put(row, True)
