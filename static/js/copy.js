// Copy and share buttons. The page works without this file: the text to copy is
// always visible and selectable; this only adds one-tap copying and the phone's share sheet.
//   <button type="button" class="js-copy" data-copy-text="..." data-copied-label="Copied">
//   <button type="button" class="js-copy" data-copy-from="id-of-a-textarea" ...>  (long texts,
//     so the page does not carry them twice)
//   <button type="button" class="js-share" data-share-url="..." data-share-title="..." hidden>
(function () {
  "use strict";

  function flash(button, label) {
    var original = button.textContent;
    button.textContent = label || "✓";
    window.setTimeout(function () { button.textContent = original; }, 1800);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "position-absolute start-0 top-0 opacity-0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var copy = event.target.closest(".js-copy");
    if (copy) {
      event.preventDefault();
      var source = document.getElementById(copy.getAttribute("data-copy-from") || "");
      copyText(source ? source.value : copy.getAttribute("data-copy-text")).then(function () {
        flash(copy, copy.getAttribute("data-copied-label"));
        copy.dispatchEvent(new CustomEvent("peerassist:copied", { bubbles: true }));
      });
      return;
    }
    var share = event.target.closest(".js-share");
    if (share && navigator.share) {
      event.preventDefault();
      navigator.share({
        title: share.getAttribute("data-share-title") || document.title,
        url: share.getAttribute("data-share-url"),
      }).catch(function () { /* the person closed the share sheet */ });
    }
  });

  // Share buttons stay hidden where the browser has no share sheet.
  if (navigator.share) {
    document.querySelectorAll(".js-share[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
})();
