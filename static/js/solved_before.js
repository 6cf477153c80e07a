// "Has this been solved before?" as the purpose or the problem is typed: half a second
// after the typing stops (three characters or more), the related lessons and past
// sessions are fetched (lessons:solved_before, partial=1) and shown under the field, in
// an aria-live region. Posted, not in the address: a Thai paragraph would pass the
// server's limit on an address, and nothing is saved. Without this file the button
// beside the field opens the same suggestions on a page of their own.
(function () {
  "use strict";

  var WAIT_MS = 500;
  var MIN_CHARS = 3;

  function attach(box) {
    var field = document.getElementById(box.getAttribute("data-field"));
    var results = box.querySelector(".solved-before-results");
    if (!field || !results || !field.form || !window.fetch) { return; }
    var url = box.getAttribute("data-solved-before");
    var token = field.form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var asked = "";
    var controller = null;

    function show() {
      var text = field.value.trim();
      if (text.length < MIN_CHARS || text === asked) { return; }
      asked = text;
      var body = new FormData();
      body.append("text", text);
      body.append("partial", "1");
      body.append("from", box.getAttribute("data-from") || "");
      if (token) { body.append("csrfmiddlewaretoken", token.value); }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      box.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        results.innerHTML = html;  // the server's template, escaped there
      }).catch(function () {
        asked = "";  // the button beside the field still works; try again on typing
      }).then(function () {
        box.removeAttribute("aria-busy");
      });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(show, WAIT_MS);
    });
    if (field.value.trim().length >= MIN_CHARS) { show(); }
  }

  document.querySelectorAll("[data-solved-before]").forEach(attach);
})();
