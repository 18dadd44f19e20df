// Workshop pages: keep live views current without reloading. Enhancement only: without
// JavaScript the pages refresh themselves (a <noscript> meta refresh) or on demand.
(function () {
  "use strict";

  // How often a page asks whether anything changed (its data-poll-ms): the projector and
  // the dashboard often (an answer shows within a second), phones every second. The state
  // answer is a 304 without a body while nothing changed (ETag), so polls stay cheap.
  var POLL_MS = 1000;
  var MAX_BACKOFF_MS = 15000;

  // Replace the live region with the same region of a freshly fetched page. The HTML comes
  // from our own server, where Jinja escaped everything a participant typed.
  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var next = fresh.querySelector("main");
    var main = document.querySelector("main");
    if (!next || !main) {
      window.location.reload();
      return;
    }
    main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes));
    document.title = fresh.title;
  }

  function startPolling(root) {
    var url = root.getAttribute("data-poll");
    var watch = root.getAttribute("data-watch");
    var every = parseInt(root.getAttribute("data-poll-ms"), 10) || POLL_MS;
    var delay = every;

    function tick() {
      var live = document.querySelector(".ws-live[data-poll]");
      var current = live ? live.getAttribute("data-current") : null;
      fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache", credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (state) {
          delay = every;
          if (String(state[watch]) === current) { return null; }
          return fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
            .then(function (response) { return response.text(); })
            .then(swap);
        })
        .catch(function () {
          delay = Math.min(delay * 2, MAX_BACKOFF_MS); // server busy or offline: back off
        })
        .then(function () { window.setTimeout(tick, delay); });
    }
    // Phones start at a random moment of the interval: a room that loaded the page together
    // does not poll together.
    window.setTimeout(tick, Math.random() * every);
  }

  // A second tap on « Envoyer » while the first is on its way would only be ignored by the
  // server (the first answer counts); disabling the button says so at once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("ws-answer")) { return; }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; button.textContent = "Envoi…"; }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  // Question timers count down from what the server said remained when it sent the page (no
  // clock of the phone involved). The server refuses answers once the time is over.
  function tickTimers() {
    var now = Date.now();
    document.querySelectorAll(".ws-timer[data-remaining]").forEach(function (timer) {
      if (!timer.hasAttribute("data-until")) {
        timer.setAttribute("data-until", String(now + 1000 * parseInt(timer.getAttribute("data-remaining"), 10)));
      }
      var left = Math.max(0, Math.ceil((parseInt(timer.getAttribute("data-until"), 10) - now) / 1000));
      var text = left > 0 ? left + " s" : "Temps écoulé";
      if (timer.textContent !== text) { timer.textContent = text; }
      timer.classList.toggle("is-ending", left <= 5);
    });
  }
  window.setInterval(tickTimers, 250);

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".ws-live[data-poll]");
    if (root) { startPolling(root); }
  });
})();
