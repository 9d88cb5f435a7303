// The ticket page's collision detection: ping who is here (and typing) through htmx, and ask
// before sending a reply when someone else is typing one or new messages arrived meanwhile.
(function () {
  "use strict";

  function newestMessageId() {
    var newest = 0;
    document.querySelectorAll("li[id^='m']").forEach(function (item) {
      var id = parseInt(item.id.slice(1), 10);
      if (!isNaN(id) && id > newest) {
        newest = id;
      }
    });
    return newest;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("presence-form");
    if (!form || !window.htmx) {
      return;
    }
    form.querySelector("[data-presence-seen]").value = String(newestMessageId());
    window.htmx.trigger(form, "desk:ping");

    var typing = form.querySelector("[data-presence-typing]");
    var reply = document.getElementById("reply-text");
    if (!reply) {
      return;
    }
    var quiet = null;
    reply.addEventListener("input", function () {
      var started = typing.value !== "1";
      typing.value = "1";
      window.clearTimeout(quiet);
      quiet = window.setTimeout(function () {
        typing.value = "0";
      }, 10000);
      if (started) {
        window.htmx.trigger(form, "desk:typing");
      }
    });
    if (reply.form) {
      reply.form.addEventListener(
        "submit",
        function (event) {
          var warnings = document.querySelectorAll("#presence [data-collision-warning]");
          if (!warnings.length) {
            return;
          }
          var lines = Array.prototype.map.call(warnings, function (warning) {
            return warning.dataset.collisionWarning;
          });
          if (!window.confirm(lines.join("\n") + "\n\n" + form.dataset.sendAnyway)) {
            event.preventDefault();
            event.stopImmediatePropagation();
          }
        },
        true
      );
    }
  });
})();

// Live queue: the results refresh themselves (htmx polling), except while the agent has rows
// ticked for a bulk change.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.elt;
    if (target && target.id === "queue-results" && target.querySelector("input[type=checkbox]:checked")) {
      event.preventDefault();
    }
  });
})();

// Keyboard shortcuts, listed on the "?" overlay (templates/_shortcuts.html).
(function () {
  "use strict";
  var QUEUE_KEY = "destek:queue";

  function typingInField(event) {
    var el = event.target;
    return (
      el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement ||
      (el instanceof HTMLElement && el.isContentEditable)
    );
  }

  function queueRows() {
    return Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  }

  function rowLink(row) {
    return row && row.querySelector("a[href*='/t/']");
  }

  function rememberQueue() {
    var links = queueRows().map(rowLink).filter(Boolean);
    if (links.length) {
      var urls = links.map(function (link) {
        return link.getAttribute("href");
      });
      window.sessionStorage.setItem(QUEUE_KEY, JSON.stringify(urls));
    }
  }

  function moveInQueue(step) {
    var rows = queueRows();
    if (!rows.length) {
      return false;
    }
    var current = rows.findIndex(function (row) {
      return row.classList.contains("is-current");
    });
    var next = Math.min(rows.length - 1, Math.max(0, current + step));
    rows.forEach(function (row) {
      row.classList.remove("is-current");
    });
    rows[next].classList.add("is-current");
    rows[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  function moveBetweenTickets(step) {
    var urls = JSON.parse(window.sessionStorage.getItem(QUEUE_KEY) || "[]");
    var here = urls.indexOf(window.location.pathname);
    if (here >= 0 && urls[here + step]) {
      window.location.href = urls[here + step];
    }
  }

  function focus(selector) {
    var el = document.querySelector(selector);
    if (el) {
      el.scrollIntoView({ block: "center" });
      el.focus();
    }
    return el;
  }

  function submit(selector) {
    var form = document.querySelector(selector);
    if (form) {
      form.requestSubmit();
    }
  }

  var ACTIONS = {
    "/": function () {
      focus("[data-shortcut-search]");
    },
    "?": function () {
      var help = document.getElementById("shortcuts-help");
      if (help) {
        if (help.open) {
          help.close();
        } else {
          help.showModal();
        }
      }
    },
    j: function () {
      if (!moveInQueue(1)) {
        moveBetweenTickets(1);
      }
    },
    k: function () {
      if (!moveInQueue(-1)) {
        moveBetweenTickets(-1);
      }
    },
    o: function () {
      var link = rowLink(document.querySelector("table.queue tr.is-current"));
      if (link) {
        link.click();
      }
    },
    r: function () {
      focus("#reply-text");
    },
    n: function () {
      focus("form[action$='/note/'] textarea");
    },
    a: function () {
      submit("form[action$='/claim/']");
    },
    s: function () {
      focus("form[action$='/status/'] select");
    },
    z: function () {
      var box = document.querySelector(".snooze-box");
      if (box) {
        box.open = true;
        focus("#snooze_until");
      }
    },
    u: function () {
      var back = document.querySelector(".ticket-head a[href$='/tickets/']");
      if (back) {
        back.click();
      }
    },
  };
  ACTIONS.Enter = ACTIONS.o;

  document.addEventListener("DOMContentLoaded", rememberQueue);
  document.addEventListener("htmx:afterSwap", rememberQueue);
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingInField(event)) {
      return;
    }
    var action = ACTIONS[event.key];
    if (action && (event.key !== "Enter" || document.querySelector("table.queue tr.is-current"))) {
      event.preventDefault();
      action();
    }
  });
})();
