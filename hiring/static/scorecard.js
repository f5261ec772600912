// The scorecard form: progress count, autosave of drafts, and a warning before leaving
// with unsaved changes. Without JavaScript the form still works: "Save draft" posts it.
"use strict";

(function () {
  var form = document.getElementById("scorecard-form");
  if (!form) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var progress = document.getElementById("progress-count");
  var versionField = form.querySelector('input[name="version"]');
  var autosave = form.dataset.autosave === "on";
  var dirty = false;
  var submitting = false;
  var timer = null;
  var saving = false;

  function countRated() {
    var rated = 0;
    form.querySelectorAll("fieldset[data-competency]").forEach(function (group) {
      var chosen = group.querySelector('input[type="radio"]:checked');
      if (chosen && chosen.value !== "not-assessed") {
        rated += 1;
      }
    });
    if (progress) {
      progress.textContent = String(rated);
    }
  }

  function show(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function save() {
    if (!autosave || saving || !dirty) {
      return;
    }
    saving = true;
    var data = new FormData(form);
    data.set("action", "draft");
    show("Saving draft…");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": data.get("csrf_token"), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      });
    }).then(function (result) {
      if (result.ok) {
        versionField.value = String(result.body.version);
        dirty = false;
        var at = new Date(result.body.saved_at);
        show("Draft saved at " + at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }));
      } else {
        autosave = result.body.version === undefined ? autosave : false;
        show("Not saved: " + (result.body.error || "please use Save draft."));
      }
    }).catch(function () {
      show("Not saved: you seem to be offline. Your text stays here; use Save draft when back online.");
    }).finally(function () {
      saving = false;
    });
  }

  function changed() {
    dirty = true;
    countRated();
    if (autosave) {
      show("Unsaved changes");
      clearTimeout(timer);
      timer = setTimeout(save, 2000);
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  countRated();
})();
