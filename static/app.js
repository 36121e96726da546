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
    startCopyButtons();
  });
  // A button with data-copy-target="<input id>" copies that field's text (an API token shown
  // once); without the clipboard API it selects the text so the person can copy it themselves.
  function startCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        var id = event.currentTarget.getAttribute("data-copy-target");
        var field = document.getElementById(id);
        var status = document.querySelector('[data-copy-status="' + id + '"]');
        var done = event.currentTarget.getAttribute("data-copied-text");
        if (!field) return;
        field.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(function () { if (status) status.textContent = done; },
            function () { if (status) status.textContent = "選択しました。Ctrl+C（⌘+C）でコピーしてください。"; });
        } else if (status) {
          status.textContent = "選択しました。Ctrl+C（⌘+C）でコピーしてください。";
        }
      });
    }
  }
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
