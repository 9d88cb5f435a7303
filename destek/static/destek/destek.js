// Small behaviours that would otherwise be inline handlers: the Content-Security-Policy allows
// scripts from our own files only, so templates describe them with data attributes instead.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before submitting.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form instanceof HTMLFormElement && form.dataset.confirm) {
        if (!window.confirm(form.dataset.confirm)) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      }
    },
    true
  );

  // <select data-autosubmit>: submit its form when the choice changes.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.requestSubmit();
    }
  });

  // <a hx-get=… data-insert-into="ID">: the answer's text goes into textarea ID at the cursor,
  // and the <details> menu around the link closes.
  document.addEventListener("htmx:afterRequest", function (event) {
    var link = event.target;
    if (!(link instanceof Element) || !link.dataset.insertInto || !event.detail.successful) {
      return;
    }
    var box = document.getElementById(link.dataset.insertInto);
    if (!box) {
      return;
    }
    box.setRangeText(event.detail.xhr.responseText, box.selectionStart, box.selectionEnd, "end");
    box.focus();
    var menu = link.closest("details");
    if (menu) {
      menu.open = false;
    }
  });
})();
