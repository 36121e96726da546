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
    startCountdowns();
  });
  // Deadlines count down in place: data-countdown holds the closing instant (UTC, ISO 8601).
  // The server renders the same text, so the page reads right without this script.
  function startCountdowns() {
    var nodes = document.querySelectorAll("[data-countdown]");
    if (!nodes.length) return;
    function tick() {
      for (var i = 0; i < nodes.length; i++) {
        var left = Math.floor((Date.parse(nodes[i].getAttribute("data-countdown")) - Date.now()) / 1000);
        if (isNaN(left)) continue;
        if (left <= 0) { nodes[i].textContent = "受付は締め切りました"; continue; }
        var days = Math.floor(left / 86400), hours = Math.floor(left % 86400 / 3600), minutes = Math.floor(left % 3600 / 60);
        nodes[i].textContent = "締切まで残り " + days + " 日 " + hours + " 時間 " + minutes + " 分" +
          (days === 0 ? " " + (left % 60) + " 秒" : "");
      }
    }
    tick();
    setInterval(tick, 1000);
  }
})();
