// The participant's AAR page. The form works without this file; this only makes sure
// nobody loses their writing: every keystroke is kept in this browser (localStorage,
// per personal link) until the server has it, and restored after a reload, a lost
// connection or a failed submit. Also: one submit per tap, and text areas that grow.
(function () {
  "use strict";

  function storage() {
    try {
      var probe = "__peerassist__";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage blocked: the form still works
    }
  }
  var store = storage();

  // The thank-you page: the server has the text, so the local copy can go.
  var thanks = document.getElementById("aar-thanks");
  if (thanks && store) {
    store.removeItem(thanks.getAttribute("data-clear-storage"));
  }

  var form = document.getElementById("aar-form");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var serverVersion = form.getAttribute("data-server-version") || "";
  // Every box kept: the four parts, the commitments and their dates (by name).
  var parts = Array.prototype.slice.call(form.querySelectorAll("textarea, input[type=text]"));
  var areas = parts.filter(function (box) { return box.tagName === "TEXTAREA"; });

  function values() {
    var data = { version: serverVersion, savedAt: Date.now(), fields: {} };
    parts.forEach(function (area) { data.fields[area.name] = area.value; });
    var sharing = form.querySelector("input[name=sharing]:checked");
    if (sharing) { data.fields.sharing = sharing.value; }
    // The "without my name" boxes: the keys ticked.
    data.fields.anonymous = Array.prototype.map.call(
      form.querySelectorAll("input[name=anonymous]:checked"), function (box) { return box.value; });
    return data;
  }

  function grow(area) {
    if (window.CSS && CSS.supports && CSS.supports("field-sizing", "content")) { return; }
    // Three lines at least (a commitment is shorter than a part; see aar.css).
    var least = area.classList.contains("aar-commitment-text") ? 100 : 112;
    area.style.height = "auto";
    area.style.height = Math.max(area.scrollHeight + 2, least) + "px";
  }

  function restore() {
    if (!store) { return; }
    var saved;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.fields) { return; }
    // A copy typed on top of an older server version is stale: the server has newer text.
    if (saved.version !== serverVersion) { store.removeItem(key); return; }
    var changed = false;
    parts.forEach(function (area) {
      var text = saved.fields[area.name];
      if (typeof text === "string" && text !== area.value) { area.value = text; changed = true; }
    });
    if (saved.fields.sharing) {
      var radio = form.querySelector("input[name=sharing][value='" + saved.fields.sharing + "']");
      if (radio && !radio.checked) { radio.checked = true; changed = true; }
    }
    if (Array.isArray(saved.fields.anonymous)) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=anonymous]"), function (box) {
        var on = saved.fields.anonymous.indexOf(box.value) !== -1;
        if (box.checked !== on) { box.checked = on; changed = true; }
      });
    }
    if (changed) {
      var note = document.createElement("p");
      note.className = "alert alert-info";
      note.setAttribute("role", "status");
      note.textContent = form.getAttribute("data-restored-label");
      form.insertBefore(note, form.firstChild);
    }
  }

  var timer = null;
  function save() {
    if (!store) { return; }
    try { store.setItem(key, JSON.stringify(values())); } catch (e) { /* storage full */ }
  }
  // Only what was typed here is kept on leaving: an untouched page (its boxes empty, or
  // "My goal" filled from the expectation) must not become a copy that later overrides
  // what the server would fill in.
  var changed = false;
  function saveSoon() {
    changed = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 250);
  }

  // Commitments: the empty rows after the first empty one wait behind "Add another
  // commitment" (without this file all five rows show).
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-commitment-row]"));
  var addButton = form.querySelector("[data-add-commitment]");
  function rowIsEmpty(row) {
    return Array.prototype.every.call(row.querySelectorAll("textarea, input[type=text]"), function (box) {
      return !box.value.trim();
    });
  }
  function showRows() {
    if (!rows.length || !addButton) { return; }
    var last = -1;
    rows.forEach(function (row, i) { if (!rowIsEmpty(row)) { last = i; } });
    rows.forEach(function (row, i) {
      // A row with an error stays in view, whatever is in it.
      if (i <= last + 1 || row.querySelector("[aria-invalid=true]")) { row.hidden = false; }
      else if (rowIsEmpty(row)) { row.hidden = true; }
    });
    addButton.hidden = rows.every(function (row) { return !row.hidden; });
  }
  if (addButton) {
    addButton.addEventListener("click", function () {
      var next = rows.filter(function (row) { return row.hidden; })[0];
      if (!next) { return; }
      next.hidden = false;
      addButton.hidden = rows.every(function (row) { return !row.hidden; });
      var box = next.querySelector("textarea");
      grow(box);
      box.focus();
    });
  }

  restore();
  showRows();
  areas.forEach(function (area) {
    grow(area);
    area.addEventListener("input", function () { grow(area); saveSoon(); });
  });
  parts.forEach(function (box) {
    if (box.tagName !== "TEXTAREA") { box.addEventListener("input", saveSoon); }
  });
  form.addEventListener("change", saveSoon);
  window.addEventListener("pagehide", function () { if (changed) { save(); } });

  // One submission per tap. The buttons are disabled only after the browser has
  // taken the clicked button's name and value into the submission.
  form.addEventListener("submit", function (event) {
    save();
    if (form.getAttribute("data-submitting")) { event.preventDefault(); return; }
    form.setAttribute("data-submitting", "1");
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {
      Array.prototype.forEach.call(document.querySelectorAll("button[type=submit]"), function (b) {
        b.disabled = true;
      });
    }, 0);
  });
  // Coming back with the Back button (bfcache) must give working buttons again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(document.querySelectorAll("button[type=submit]"), function (b) {
        b.disabled = false;
      });
    }
  });
})();
