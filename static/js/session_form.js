// Session form: a filter box above the organisation lists, and a link to a field
// inside a closed section opens the section. Without this file the lists are plain
// select and checkboxes, the sections open by a click, and everything still works.
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLocaleLowerCase().normalize("NFC").trim();
  }

  function addFilter(container, index) {
    var label = container.getAttribute("data-filter-label");
    var select = container.querySelector("select");
    var checks = container.querySelectorAll(".form-check");
    if (!select && !checks.length) { return; }
    var id = "org-filter-" + index;
    var wrapper = document.createElement("div");
    wrapper.className = "org-filter mb-1";
    var labelEl = document.createElement("label");
    labelEl.className = "form-label small mb-0";
    labelEl.setAttribute("for", id);
    labelEl.textContent = label;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm";
    input.autocomplete = "off";
    wrapper.appendChild(labelEl);
    wrapper.appendChild(input);
    var anchor = select || checks[0].parentNode;
    anchor.parentNode.insertBefore(wrapper, anchor);
    container.classList.add("has-filter");  // the room kept for it (session.css) goes

    input.addEventListener("input", function () {
      var query = normalise(input.value);
      if (select) {
        Array.prototype.forEach.call(select.options, function (option) {
          var match = !query || !option.value || option.selected ||
            normalise(option.textContent).indexOf(query) !== -1;
          option.hidden = !match;
        });
      } else {
        Array.prototype.forEach.call(checks, function (check) {
          var box = check.querySelector("input");
          var match = !query || (box && box.checked) ||
            normalise(check.textContent).indexOf(query) !== -1;
          check.hidden = !match;
        });
      }
    });
    // Enter in the filter box must not submit the form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  document.querySelectorAll(".org-filter-target").forEach(addFilter);

  function openTarget() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var details = target && target.closest("details");
    if (details && !details.open) {
      details.open = true;
      target.scrollIntoView();
    }
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
})();
