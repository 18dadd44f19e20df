// Enhancements only: every page works without this script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Slide pages: ← and → follow the previous/next links (not while typing or with modifiers).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable]")) {
      return;
    }
    var link = document.querySelector('a[data-key="' + event.key + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

  // Ordering and matching by drag and drop, with a finger, a pen or a mouse (pointer
  // events). The selects stay the keyboard's and the no-script way: dragging only sets them.
  function renumber(list) {
    var items = list.querySelectorAll(".order-item");
    for (var i = 0; i < items.length; i += 1) {
      var select = items[i].querySelector("select");
      if (select) {
        select.value = String(i + 1);
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }

  // Follow one pointer from pointerdown on `handle` until it is lifted: onMove(x, y) while
  // it moves, onDrop(x, y, cancelled) at the end. The page does not scroll under it
  // (touch-action). Listened to on the document: moving the row in the page would end a
  // pointer capture on it.
  function follow(handle, start, onMove, onDrop) {
    handle.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      var id = event.pointerId;
      start(event.clientX, event.clientY);
      function move(e) {
        if (e.pointerId === id) {
          e.preventDefault();
          onMove(e.clientX, e.clientY);
        }
      }
      function end(e) {
        if (e.pointerId !== id) {
          return;
        }
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", end);
        document.removeEventListener("pointercancel", end);
        onDrop(e.clientX, e.clientY, e.type === "pointercancel");
      }
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", end);
      document.addEventListener("pointercancel", end);
    });
  }

  // A finger dragging near the top or bottom edge scrolls the page (the grip itself
  // does not let the page scroll under it).
  function edgeScroll(y) {
    var edge = 56;
    if (y < edge) {
      window.scrollBy(0, -24);
    } else if (y > window.innerHeight - edge) {
      window.scrollBy(0, 24);
    }
  }

  function grip(label) {
    var handle = document.createElement("span");
    handle.className = "grip";
    handle.setAttribute("aria-hidden", "true");
    handle.title = label;
    handle.textContent = "⠿";
    return handle;
  }

  function enableOrdering(list) {
    list.classList.add("draggable");
    list.querySelectorAll(".order-item").forEach(function (item) {
      var handle = grip("Faire glisser");
      item.insertBefore(handle, item.firstChild);
      follow(
        handle,
        function () {
          item.classList.add("dragging");
        },
        function (x, y) {
          edgeScroll(y);
          var over = document.elementFromPoint(x, y);
          var target = over && over.closest(".order-item");
          if (!target || target === item || target.parentNode !== list) {
            return;
          }
          var box = target.getBoundingClientRect();
          var after = y > box.top + box.height / 2;
          list.insertBefore(item, after ? target.nextSibling : target);
        },
        function () {
          item.classList.remove("dragging");
          renumber(list);
        }
      );
    });
  }

  // Matching: the answers as chips above the rows; drop a chip on a row (or tap a chip,
  // then a row) and that row's select takes the answer.
  function enableMatching(pairs) {
    var select = pairs.querySelector("select");
    if (!select) {
      return;
    }
    var bank = document.createElement("div");
    bank.className = "chips";
    bank.setAttribute("aria-hidden", "true"); // the selects say the same to screen readers
    var chosen = null;
    function choose(chip) {
      if (chosen) {
        chosen.classList.remove("chosen");
      }
      chosen = chip;
      if (chip) {
        chip.classList.add("chosen");
      }
    }
    function place(chip, x, y) {
      chip.style.visibility = "hidden"; // the chip under the finger hides what it is over
      var over = document.elementFromPoint(x, y);
      chip.style.visibility = "";
      var pair = over && over.closest(".pair");
      if (!pair || pair.parentNode !== pairs) {
        return false;
      }
      var field = pair.querySelector("select");
      field.value = chip.dataset.value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
      pair.classList.add("just-set");
      window.setTimeout(function () {
        pair.classList.remove("just-set");
      }, 600);
      return true;
    }
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) {
        return;
      }
      var chip = document.createElement("span");
      chip.className = "chip";
      chip.dataset.value = option.value;
      chip.textContent = option.textContent;
      var startX = 0;
      var startY = 0;
      var moved = false;
      follow(
        chip,
        function (x, y) {
          startX = x;
          startY = y;
          moved = false;
        },
        function (x, y) {
          var dx = x - startX;
          var dy = y - startY;
          if (!moved && dx * dx + dy * dy < 64) {
            return;
          }
          moved = true;
          chip.classList.add("dragging");
          chip.style.transform = "translate(" + dx + "px, " + dy + "px)";
        },
        function (x, y, cancelled) {
          chip.classList.remove("dragging");
          chip.style.transform = "";
          if (cancelled) {
            return;
          }
          if (!moved) {
            choose(chosen === chip ? null : chip); // a tap: pick it, then tap a row
          } else if (place(chip, x, y)) {
            choose(null);
          }
        }
      );
      bank.appendChild(chip);
    });
    pairs.querySelectorAll(".pair").forEach(function (pair) {
      pair.addEventListener("click", function (event) {
        if (chosen && !event.target.closest("select")) {
          var box = pair.getBoundingClientRect();
          place(chosen, box.left + box.width / 2, box.top + box.height / 2);
          choose(null);
        }
      });
    });
    pairs.parentNode.insertBefore(bank, pairs);
  }

  // Phones: the main navigation behind one « Menu » button, so the header is one line
  // (without script every link shows, wrapped).
  function enableMenu(header) {
    var nav = header.querySelector("nav");
    if (!nav) {
      return;
    }
    nav.id = nav.id || "navigation-principale";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-toggle";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", nav.id);
    button.textContent = "Menu";
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
    nav.parentNode.insertBefore(button, nav);
  }

  // Explorer filters: folded on a phone unless a filter is in use (open without script).
  function foldFilters(details) {
    if (window.matchMedia("(max-width: 40rem)").matches && !details.hasAttribute("data-active")) {
      details.open = false;
    }
  }

  function enhanceQuestions(root) {
    root.querySelectorAll("[data-ordering]:not([data-enhanced])").forEach(function (list) {
      list.setAttribute("data-enhanced", "");
      enableOrdering(list);
    });
    root.querySelectorAll(".pairs:not([data-enhanced])").forEach(function (pairs) {
      pairs.setAttribute("data-enhanced", "");
      enableMatching(pairs);
    });
  }

  // Glossary terms: a click shows the definition right under the term, instead of
  // jumping to the list at the bottom of the page (the link's behaviour without script).
  function closeTips(except) {
    document.querySelectorAll(".term-tip").forEach(function (tip) {
      if (tip !== except) {
        var link = document.querySelector('[aria-controls="' + tip.id + '"]');
        if (link) {
          link.setAttribute("aria-expanded", "false");
        }
        tip.hidden = true;
      }
    });
  }

  function enableTerm(link, index) {
    var entry = document.getElementById(link.getAttribute("href").slice(1));
    if (!entry) {
      return;
    }
    var tip = document.createElement("span");
    tip.className = "term-tip";
    tip.id = "term-tip-" + index;
    tip.setAttribute("role", "note");
    tip.hidden = true;
    var term = entry.querySelector("dt");
    var definition = entry.querySelector("dd");
    var strong = document.createElement("strong");
    strong.textContent = term ? term.textContent.trim() : "";
    tip.appendChild(strong);
    tip.appendChild(document.createTextNode(" — " + (definition ? definition.textContent : "")));
    // Never inside a heading: the tip would become part of the title read out for it.
    var heading = link.closest("h1, h2, h3, h4, h5, h6");
    (heading || link).after(tip);
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", tip.id);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var opening = tip.hidden;
      closeTips(tip);
      tip.hidden = !opening;
      link.setAttribute("aria-expanded", opening ? "true" : "false");
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeTips(null);
    }
  });

  // Dates stored in UTC (<time class="local-time" datetime="…Z">): shown in the reader's time.
  function localTime(element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) {
      return;
    }
    element.textContent = when.toLocaleString("fr-FR", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time.local-time").forEach(localTime);
    document.querySelectorAll("a.term").forEach(enableTerm);
    var header = document.querySelector(".site-header .header-inner");
    if (header) {
      enableMenu(header);
    }
    document.querySelectorAll("details.filters-panel").forEach(foldFilters);
    enhanceQuestions(document);
    // Workshop phones swap in the next question without a reload: enhance it too.
    var main = document.querySelector("main");
    if (main && window.MutationObserver) {
      new MutationObserver(function () {
        enhanceQuestions(main);
      }).observe(main, { childList: true, subtree: true });
    }
    var alert = document.getElementById("mistakes");
    if (alert) {
      alert.focus();
    }
  });
})();
