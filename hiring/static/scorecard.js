// The scorecard form: progress count, autosave of drafts, evidence boxes that open when an
// anti-pattern is ticked, and a warning before leaving with unsaved changes. Without
// JavaScript the form still works: "Save draft" posts it.
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
  var changes = form.dataset.unsaved === "true" ? 1 : 0;  // edits not yet on the server
  var submitting = false;
  var timer = null;
  var saving = false;
  var waiting = null;  // the button of a submission held back until the autosave is back

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

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  function save() {
    if (!autosave || changes === 0) {
      return;
    }
    if (saving) {
      schedule();  // one save at a time; try again when this one is done
      return;
    }
    saving = true;
    var sent = changes;
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
        return { ok: response.ok, status: response.status, body: body };
      });
    }).then(function (result) {
      if (result.ok) {
        versionField.value = String(result.body.version);
        changes -= sent;  // edits made while saving are still unsaved
        if (changes > 0) {
          show("Unsaved changes");
          schedule();
        } else {
          var at = new Date(result.body.saved_at);
          show("Draft saved at " + at.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }));
        }
      } else {
        if (result.status === 409 || result.status === 401) {
          autosave = false;  // a newer version, or signed out: the interviewer decides
        }
        show(result.body.error || "Not saved: please use Save draft.");
      }
    }).catch(function () {
      show("Not saved: you seem to be offline. Your text stays here; use Save draft when back online.");
    }).finally(function () {
      saving = false;
      if (waiting) {
        var submitter = waiting;
        waiting = null;
        form.requestSubmit(submitter);
      }
    });
  }

  function changed() {
    changes += 1;
    countRated();
    if (autosave) {
      show("Unsaved changes");
      schedule();
    }
  }

  // Anti-pattern evidence opens when the box is ticked (or already holds text).
  form.querySelectorAll("[data-anti-pattern]").forEach(function (choice) {
    var box = choice.querySelector('input[type="checkbox"]');
    var evidence = choice.querySelector("[data-evidence]");
    var text = evidence && evidence.querySelector("textarea");
    if (!box || !evidence || !text) {
      return;
    }
    function toggle() {
      evidence.hidden = !box.checked && text.value.trim() === "";
    }
    box.addEventListener("change", function () {
      toggle();
      if (box.checked) {
        text.focus();
      }
    });
    toggle();
  });

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    if (saving && event.submitter) {
      // Posted now, the form would carry the version this autosave replaces and meet a
      // conflict with itself: send it, with the new version, once the autosave is back.
      event.preventDefault();
      waiting = event.submitter;
      return;
    }
    submitting = true;
    clearTimeout(timer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (changes > 0 && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  if (autosave && status && status.textContent.trim() === "") {
    show("Drafts save automatically as you type.");
  }
  countRated();
})();
