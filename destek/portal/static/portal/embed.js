/* Destek: puts a workspace's support form on another website.
 * Usage: <script src=".../static/portal/embed.js" data-destek-form="https://…/s/<slug>/form/" async></script>
 * The form is inserted in a frame right where the script tag stands. */
(function () {
  "use strict";
  var scripts = document.querySelectorAll("script[data-destek-form]");
  Array.prototype.forEach.call(scripts, function (script) {
    if (script.getAttribute("data-destek-done")) return;
    script.setAttribute("data-destek-done", "1");
    var frame = document.createElement("iframe");
    frame.src = script.getAttribute("data-destek-form");
    frame.title = script.getAttribute("data-destek-title") || "Destek";
    frame.loading = "lazy";
    frame.style.width = "100%";
    frame.style.minHeight = script.getAttribute("data-destek-height") || "760px";
    frame.style.border = "0";
    script.parentNode.insertBefore(frame, script.nextSibling);
  });
})();
