// Follow-up page: when a reminder text is copied with the copy button, log it as a
// copied reminder in the background. Without JavaScript the "Log as sent" button does it.
(function () {
  "use strict";
  document.addEventListener("peerassist:copied", function (event) {
    var form = event.target.closest(".reminder-copy") &&
      event.target.closest(".reminder-copy").querySelector("form.js-log-copied");
    if (!form) { return; }
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) {
        var done = form.querySelector("button");
        if (done) { done.disabled = true; done.textContent = done.getAttribute("data-done-label"); }
      }
    });
  });
})();
