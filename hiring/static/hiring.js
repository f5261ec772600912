// hiring: small progressive enhancements shared by every page (no framework, no CDN).
"use strict";

// Forms that take a local date and time send the browser's offset from UTC alongside,
// so the server stores the moment the person meant. The offset is the one of the day
// typed, not of today: across a daylight-saving change they differ by an hour. Without
// JavaScript the time is UTC.
document.querySelectorAll('input[name="timezone_offset"]').forEach(function (input) {
  var form = input.form;
  var local = form && form.querySelector('input[type="datetime-local"]');
  function update() {
    var typed = local && local.value ? new Date(local.value) : new Date();  // read as local time
    input.value = String(-(isNaN(typed) ? new Date() : typed).getTimezoneOffset());
  }
  update();
  if (local) {
    local.addEventListener("change", update);
  }
  if (form) {
    form.addEventListener("submit", update);
  }
});

// Times are sent as UTC in <time datetime="..."> and shown in the reader's time zone.
document.querySelectorAll("time[data-local]").forEach(function (element) {
  var moment = new Date(element.getAttribute("datetime"));
  if (!isNaN(moment)) {
    element.textContent = moment.toLocaleString(undefined, {
      dateStyle: "medium", timeStyle: "short"
    });
  }
});

// A form sent back with errors and no summary of them: the focus goes to the first field
// in error, so that a keyboard or screen reader user starts where the work is.
(function () {
  var invalid = document.querySelector('main form [aria-invalid="true"]');
  if (invalid && !document.getElementById("error-summary") && !document.querySelector("[autofocus]")) {
    invalid.focus();
  }
})();
