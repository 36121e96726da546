// Small progressive enhancements; every page works without this script.
(function () {
  "use strict";
  // htmx requests carry the session's CSRF token in a header (the server checks it like a form field).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.body.getAttribute("data-csrf-token");
    if (token) event.detail.headers["X-CSRF-Token"] = token;
  });
  // Move focus to an error summary so screen-reader and keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
