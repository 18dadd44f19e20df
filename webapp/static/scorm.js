// SCORM 1.2 runtime of a coopkit package's launch page (scorm.html).
// The launch page holds the LMS session for the whole visit: it finds the LMS's API object
// (window.API in a parent or opener frame, as ADL's guidelines search), calls LMSInitialize
// once, shows the package's pages in its frame, keeps cmi.core.lesson_location on the page
// being read (to resume there), marks the lesson completed once its last page is reached,
// and receives the quiz result from the quiz page (static/offline.js):
// cmi.core.score.raw/min/max and cmi.core.lesson_status passed or failed. LMSCommit after
// each change, LMSFinish when the page goes away. With no API (no LMS, or opened from a
// folder) the pages are read and the quiz graded all the same.
(function () {
  "use strict";

  var frame = document.getElementById("sco");
  var launch = document.body;
  var api = findApi();
  var started = new Date();
  var status = "";
  var finished = false;

  // ADL's search: up the parents (at most 500 levels), then the opener and its parents.
  function climb(win) {
    for (var level = 0; win && level < 500; level += 1) {
      try {
        if (win.API) {
          return win.API;
        }
      } catch (error) {
        return null; // a frame of another origin: no API there
      }
      if (!win.parent || win.parent === win) {
        return null;
      }
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var found = window.parent !== window ? climb(window.parent) : null;
    if (!found && window.opener) {
      found = climb(window.opener);
    }
    return found;
  }

  function set(name, value) {
    if (api) {
      api.LMSSetValue(name, String(value));
    }
  }

  function commit() {
    if (api) {
      api.LMSCommit("");
    }
  }

  // The page shown in the frame, relative to the launch page (null when unreadable).
  function pageInFrame() {
    try {
      var shown = frame.contentWindow.location.href.split("#")[0];
      var base = window.location.href.split("#")[0].replace(/[^/]*$/, "");
      return shown.indexOf(base) === 0 ? decodeURI(shown.slice(base.length)) : null;
    } catch (error) {
      return null; // file:// pages are of different origins in Chromium
    }
  }

  function isPackagePage(path) {
    return /^[A-Za-z0-9._\/-]+\.html$/.test(path) && path.indexOf("..") < 0 &&
      path !== "scorm.html";
  }

  // HHHH:MM:SS.SS, SCORM 1.2's CMITimespan.
  function timespan(milliseconds) {
    var seconds = milliseconds / 1000;
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = (seconds % 60).toFixed(2);
    var pad = function (n, width) {
      n = String(n);
      while (n.length < width) {
        n = "0" + n;
      }
      return n;
    };
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(rest, 5);
  }

  function finish() {
    if (!api || finished) {
      return;
    }
    finished = true;
    set("cmi.core.session_time", timespan(new Date() - started));
    // The quiz not yet taken: keep the data, so the next visit resumes where it stopped.
    set("cmi.core.exit", status === "passed" || status === "failed" ? "" : "suspend");
    commit();
    api.LMSFinish("");
  }

  if (api && String(api.LMSInitialize("")) !== "true") {
    api = null; // the LMS refused the session: read and grade without it
  }
  if (api) {
    status = String(api.LMSGetValue("cmi.core.lesson_status") || "");
    if (status === "" || status === "not attempted") {
      status = "incomplete";
      set("cmi.core.lesson_status", status);
      commit();
    }
    var resume = String(api.LMSGetValue("cmi.core.lesson_location") || "");
    if (resume && isPackagePage(resume)) {
      frame.src = resume;
    }
  }
  if (!frame.getAttribute("src")) {
    frame.src = launch.getAttribute("data-start");
  }

  frame.addEventListener("load", function () {
    var page = pageInFrame();
    if (!page) {
      return;
    }
    try {
      document.title = frame.contentDocument.title;
    } catch (error) {
      // unreadable: keep the package's title
    }
    if (!api || !isPackagePage(page)) {
      return;
    }
    set("cmi.core.lesson_location", page);
    if (page === launch.getAttribute("data-complete-at") && status === "incomplete") {
      status = "completed";
      set("cmi.core.lesson_status", status);
    }
    commit();
  });

  // Called by the quiz page (static/offline.js) once it has graded the learner's answers.
  window.CoopkitSCORM = {
    quizResult: function (percent, passed) {
      set("cmi.core.score.min", 0);
      set("cmi.core.score.max", 100);
      set("cmi.core.score.raw", Math.round(percent * 100) / 100);
      status = passed ? "passed" : "failed";
      set("cmi.core.lesson_status", status);
      commit();
    }
  };

  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
