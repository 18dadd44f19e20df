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

  // Ordering questions: drag the items; each position select follows the new order.
  function renumber(list) {
    var items = list.querySelectorAll(".order-item");
    for (var i = 0; i < items.length; i += 1) {
      var select = items[i].querySelector("select");
      if (select) {
        select.value = String(i + 1);
      }
    }
  }

  function enableOrdering(list) {
    var dragged = null;
    list.querySelectorAll(".order-item").forEach(function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", "");
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("dragging");
        dragged = null;
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) {
          return;
        }
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        renumber(list);
      });
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
    document.querySelectorAll("[data-ordering]").forEach(enableOrdering);
    var alert = document.getElementById("mistakes");
    if (alert) {
      alert.focus();
    }
  });
})();
