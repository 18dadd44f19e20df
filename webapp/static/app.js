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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ordering]").forEach(enableOrdering);
    var alert = document.getElementById("mistakes");
    if (alert) {
      alert.focus();
    }
  });
})();
