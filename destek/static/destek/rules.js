// Rule builder: "Kaldır" removes its condition or action row (rows are added by htmx).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-row]");
  if (button) {
    button.closest("[data-rule-row]").remove();
  }
});
