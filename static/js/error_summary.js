// The error summary (templates/includes/error_summary.html): focus it when the page
// loads, so a screen reader reads the problems first, and make each link focus its
// field with the field's label or legend in view, opening a <details> around it.
// Without this file the summary is a plain list of links at the top of the form.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.hasAttribute("data-enhanced")) { return; }
  summary.setAttribute("data-enhanced", "");
  summary.focus();

  function labelFor(input) {
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if ((input.type === "radio" || input.type === "checkbox") && legend) { return legend; }
    return document.querySelector("label[for='" + input.id + "']") || legend || input;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) { return; }
    event.preventDefault();
    var details = input.closest("details");
    if (details) { details.open = true; }
    labelFor(input).scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
