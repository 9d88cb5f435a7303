// The canned-reply picker of the reply box: search as you type (Turkish-aware: "İ" and "ı"
// match "i"), Ctrl+. (Cmd+. on a Mac) opens it from anywhere on the ticket page, Enter inserts
// the first match, arrows move through the list, Escape goes back to the reply box. Inserting
// itself is destek.js's data-insert-into.
(function () {
  "use strict";

  function fold(text) {
    return text.toLocaleLowerCase("tr").replace(/ı/g, "i").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function visibleLinks(picker) {
    return Array.prototype.filter
      .call(picker.querySelectorAll("li[data-canned-title]"), function (item) {
        return !item.hidden;
      })
      .map(function (item) {
        return item.querySelector("a");
      });
  }

  function filter(picker, query) {
    var wanted = fold(query.trim());
    var shown = 0;
    picker.querySelectorAll("li[data-canned-title]").forEach(function (item) {
      var match = !wanted || fold(item.dataset.cannedTitle).indexOf(wanted) !== -1;
      item.hidden = !match;
      shown += match ? 1 : 0;
    });
    var empty = picker.querySelector("[data-canned-empty]");
    if (empty) {
      empty.hidden = shown !== 0;
    }
  }

  function open(picker) {
    picker.open = true;
    var search = picker.querySelector("[data-canned-search]");
    if (search) {
      search.focus();
      search.select();
    }
  }

  function back(picker) {
    picker.open = false;
    var box = document.getElementById("reply-text");
    if (box) {
      box.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    var picker = document.querySelector("[data-canned-picker]");
    if (!picker) {
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === ".") {
      event.preventDefault();
      open(picker);
      return;
    }
    if (!picker.contains(document.activeElement)) {
      return;
    }
    var links = visibleLinks(picker);
    var index = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      back(picker);
    } else if (event.key === "Enter" && document.activeElement.matches("[data-canned-search]")) {
      event.preventDefault();
      if (links.length) {
        links[0].click();
      }
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index !== -1) {
      event.preventDefault();
      if (index === 0) {
        picker.querySelector("[data-canned-search]").focus();
      } else {
        links[index - 1].focus();
      }
    }
  });

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field instanceof HTMLInputElement && field.matches("[data-canned-search]")) {
      filter(field.closest("[data-canned-picker]"), field.value);
    }
  });
})();
