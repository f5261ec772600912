// hiring: small progressive enhancements shared by every page (no framework, no CDN).
"use strict";

// Forms that take a local date and time send the browser's offset from UTC alongside,
// so the server stores the moment the person meant. Without JavaScript the time is UTC.
document.querySelectorAll('input[name="timezone_offset"]').forEach(function (input) {
  input.value = String(-new Date().getTimezoneOffset());
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
