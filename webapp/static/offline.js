// The in-browser grader of the offline quiz pages (offline site, SCORM packages).
// Rules: course.grading.grade's (written per type in course/kinds.py), on the same question
// data (the JSON in #quiz-data). Fields: the names webapp/answers.py reads (q3, q3-1;
// vrai/faux; ranks from 1), with its mistakes (course.responses.AnswerMistake) worded alike.
// When the page runs inside a SCORM package's launch page, the result goes to the LMS
// through it (static/scorm.js); with no LMS the page grades all the same.
(function () {
  "use strict";

  var EPSILON = 1e-9; // float noise must not turn a right answer wrong (course.responses.EPSILON)
  var APOSTROPHES = /[\u2019\u2018\u201b\u02bc\u02b9`\u00b4\u2032]/g;
  var COMBINING = /\p{Mn}/gu;
  var NUMBER = /^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/;

  function Invalid(message) {
    this.message = message;
  }

  function Mistake(message) {
    this.message = message;
  }

  // --- Normalising responses (course.responses.normalise_text, parse_number) -----------

  function normaliseText(text) {
    var folded = String(text).normalize("NFKD").replace(COMBINING, "").toLowerCase();
    folded = folded.replace(/\u00df/g, "ss").replace(APOSTROPHES, "'");
    folded = folded.replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae");
    return folded.split(/\s+/).filter(Boolean).join(" ");
  }

  // A number from French-style text ("1,5", "1 000"); null when empty; Invalid otherwise.
  function parseNumber(value) {
    if (value === null || value === undefined) {
      return null;
    }
    if (typeof value === "boolean") {
      throw new Invalid("a numeric answer cannot be true or false");
    }
    if (typeof value === "number") {
      if (!isFinite(value)) {
        throw new Invalid("not a finite number");
      }
      return value;
    }
    var text = String(value).replace(/\s+/g, "").replace(/,/g, ".");
    if (!text) {
      return null;
    }
    if (!NUMBER.test(text)) {
      throw new Invalid("'" + value + "' is not a number");
    }
    return Number(text.replace(/_/g, ""));
  }

  function isBlank(value) {
    return value === null || value === undefined || (typeof value === "string" && !value.trim());
  }

  // --- One grader per question type: each returns the share of the points -------------

  var GRADERS = {
    single: function (question, response) {
      if (isBlank(response)) {
        return 0;
      }
      if (!question.choices.some(function (c) { return c.id === response; })) {
        throw new Invalid("'" + response + "' is not a choice");
      }
      return response === question.answer ? 1 : 0;
    },
    multiple: function (question, response) {
      var picks = unique(response || []);
      var ids = question.choices.map(function (c) { return c.id; });
      var right = 0;
      var wrong = 0;
      picks.forEach(function (pick) {
        if (ids.indexOf(pick) < 0) {
          throw new Invalid("'" + pick + "' is not a choice");
        }
        if (question.answers.indexOf(pick) >= 0) {
          right += 1;
        } else {
          wrong += 1;
        }
      });
      return Math.max(0, (right - wrong) / question.answers.length);
    },
    true_false: function (question, response) {
      if (response !== null && response !== undefined && typeof response !== "boolean") {
        throw new Invalid("a true/false answer must be true or false");
      }
      return response === question.answer ? 1 : 0;
    },
    matching: function (question, response) {
      response = response || {};
      var right = 0;
      question.pairs.forEach(function (pair) {
        var given = response[pair.left];
        if (!isBlank(given) && given === pair.right) {
          right += 1;
        }
      });
      return right / question.pairs.length;
    },
    ordering: function (question, response) {
      var given = response || [];
      if (!given.length) {
        return 0;
      }
      if (given.slice().sort().join("\n") !== question.items.slice().sort().join("\n")) {
        throw new Invalid("an ordering answer must list each item once");
      }
      var rank = {};
      given.forEach(function (item, position) { rank[item] = position; });
      var pairs = 0;
      var inOrder = 0;
      for (var i = 0; i < question.items.length; i += 1) {
        for (var j = i + 1; j < question.items.length; j += 1) {
          pairs += 1;
          if (rank[question.items[i]] < rank[question.items[j]]) {
            inOrder += 1;
          }
        }
      }
      return inOrder / pairs;
    },
    numeric: function (question, response) {
      var number = parseNumber(response);
      var slack = question.tolerance + EPSILON * Math.max(1, Math.abs(question.answer));
      return number !== null && Math.abs(number - question.answer) <= slack ? 1 : 0;
    },
    short_text: function (question, response) {
      if (isBlank(response)) {
        return 0;
      }
      var given = normaliseText(String(response).trim());
      return question.accepted.some(function (a) { return normaliseText(a) === given; }) ? 1 : 0;
    }
  };

  function unique(values) {
    return values.filter(function (value, index) { return values.indexOf(value) === index; });
  }

  // One question: {score, maximum, correct} (course.grading.grade).
  function grade(question, response) {
    var share = GRADERS[question.type](question, response);
    var score = question.points * share;
    return {
      score: score,
      maximum: question.points,
      correct: question.points > 0 && score >= question.points - EPSILON
    };
  }

  // An attempt: totals, percentage and pass (course.attempts.grade_attempt).
  function gradeAttempt(data, responses) {
    var grades = {};
    var score = 0;
    var maximum = 0;
    data.items.forEach(function (item) {
      var result = grade(item.question, responses[item.key]);
      grades[item.key] = result;
      score += result.score;
      maximum += result.maximum;
    });
    var percent = maximum ? (100 * score) / maximum : 0;
    return {
      score: score,
      maximum: maximum,
      percent: percent,
      passed: percent >= data.pass_percent - EPSILON,
      grades: grades
    };
  }

  // --- Reading the fields (webapp/answers.py) ------------------------------------------

  function fieldName(item, row) {
    return row === undefined ? item.key : item.key + "-" + row;
  }

  function readAnswer(item, form) {
    var values = new FormData(form);
    var one = function (row) {
      var value = values.get(fieldName(item, row));
      return value === null ? "" : String(value).trim();
    };
    var question = item.question;
    switch (question.type) {
      case "multiple":
        return unique(values.getAll(fieldName(item)).map(String));
      case "true_false":
        return one() ? one() === "vrai" : null;
      case "matching": {
        var chosen = {};
        question.pairs.forEach(function (pair, index) {
          var right = one(index + 1);
          if (right) {
            chosen[pair.left] = right;
          }
        });
        return chosen;
      }
      case "ordering":
        return readOrdering(item, one);
      case "numeric": {
        var text = one();
        try {
          parseNumber(text);
        } catch (error) {
          throw new Mistake("\u00ab\u00a0" + text + "\u00a0\u00bb n\u2019est pas un nombre. " +
            "Saisissez un nombre, par exemple 1985 ou 1,5.");
        }
        return text || null;
      }
      default: // single, short_text
        return one() || null;
    }
  }

  function readOrdering(item, one) {
    var count = item.order.length;
    var ranks = {};
    var given = 0;
    item.order.forEach(function (text, index) {
      var value = one(index + 1);
      if (value) {
        ranks[text] = Number(value);
        given += 1;
      }
    });
    if (!given) {
      return [];
    }
    if (given < count) {
      throw new Mistake("Donnez un rang \u00e0 chaque \u00e9l\u00e9ment. Les rangs vont de 1 \u00e0 " +
        count + ".");
    }
    var used = unique(item.order.map(function (text) { return ranks[text]; }));
    if (used.length < count) {
      throw new Mistake("Chaque rang ne peut servir qu\u2019une fois. Donnez \u00e0 chaque " +
        "\u00e9l\u00e9ment une position diff\u00e9rente, de 1 \u00e0 " + count + ".");
    }
    return item.order.slice().sort(function (a, b) { return ranks[a] - ranks[b]; });
  }

  // --- The page ------------------------------------------------------------------------

  function frenchNumber(value, decimals) {
    var text = value.toFixed(decimals || 0);
    if (decimals) {
      text = text.replace(/0+$/, "").replace(/\.$/, "");
    }
    return text.replace(".", ",");
  }

  // The launch page of a SCORM package, when this page runs inside one (same origin).
  function lmsBridge() {
    try {
      if (window.parent !== window && window.parent.CoopkitSCORM) {
        return window.parent.CoopkitSCORM;
      }
    } catch (error) {
      // Another origin (file://, or a page embedding this one): no LMS to report to.
    }
    return null;
  }

  function showMistakes(form, mistakes) {
    var box = document.getElementById("offline-mistakes");
    var list = box.querySelector("ul");
    list.textContent = "";
    Object.keys(mistakes).forEach(function (key, index) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + key + "-question";
      link.textContent = "Question " + key.slice(1);
      entry.appendChild(link);
      entry.appendChild(document.createTextNode("\u00a0: " + mistakes[key]));
      list.appendChild(entry);
      form.querySelector("#" + key + "-question").classList.add("has-error");
      if (!index) {
        box.hidden = false;
        box.focus();
      }
    });
  }

  function showResult(data, result) {
    data.items.forEach(function (item) {
      var itemGrade = result.grades[item.key];
      var review = document.getElementById(item.key + "-review");
      var badge = review.querySelector(".badge");
      var kind = itemGrade.correct ? "ok" : itemGrade.score > 0 ? "partial" : "ko";
      review.classList.remove("right", "partial", "wrong");
      review.classList.add(itemGrade.correct ? "right" : itemGrade.score > 0 ? "partial" : "wrong");
      badge.className = "badge " + kind;
      badge.textContent = itemGrade.correct ? "Juste" : itemGrade.score > 0 ?
        "Partiellement juste" : "Faux";
      review.querySelector(".points").textContent =
        frenchNumber(itemGrade.score, 2) + " / " + frenchNumber(itemGrade.maximum, 2);
      review.hidden = false;
    });
    var box = document.getElementById("offline-score");
    box.classList.remove("passed", "failed");
    box.classList.add(result.passed ? "passed" : "failed");
    box.setAttribute("data-percent", String(result.percent));
    document.getElementById("offline-score-title").textContent =
      (result.passed ? "R\u00e9ussi" : "Pas encore r\u00e9ussi") + "\u00a0: " +
      frenchNumber(result.percent) + "\u00a0%";
    document.getElementById("offline-score-detail").textContent =
      "Score\u00a0: " + frenchNumber(result.score, 1) + " sur " + frenchNumber(result.maximum, 1) +
      " point" + (result.maximum > 1 ? "s" : "") + " \u2014 seuil de r\u00e9ussite " +
      data.pass_percent + "\u00a0%.";
    box.hidden = false;
    box.focus();
  }

  function start() {
    var form = document.getElementById("offline-quiz");
    var source = document.getElementById("quiz-data");
    if (!form || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var retry = document.getElementById("retry");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var responses = {};
      var mistakes = {};
      form.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
      document.getElementById("offline-mistakes").hidden = true;
      data.items.forEach(function (item) {
        try {
          responses[item.key] = readAnswer(item, form);
        } catch (error) {
          if (!(error instanceof Mistake)) {
            throw error;
          }
          mistakes[item.key] = error.message;
        }
      });
      if (Object.keys(mistakes).length) {
        showMistakes(form, mistakes);
        return;
      }
      var result = gradeAttempt(data, responses);
      showResult(data, result);
      retry.hidden = false;
      var lms = lmsBridge();
      if (lms) {
        lms.quizResult(result.percent, result.passed);
      }
    });
    form.addEventListener("reset", function () {
      data.items.forEach(function (item) {
        document.getElementById(item.key + "-review").hidden = true;
      });
      document.getElementById("offline-score").hidden = true;
      retry.hidden = true;
    });
  }

  window.CoopkitGrader = {
    grade: grade,
    gradeAttempt: gradeAttempt,
    normaliseText: normaliseText,
    parseNumber: parseNumber,
    readAnswer: readAnswer,
    Invalid: Invalid,
    Mistake: Mistake
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
