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
  // Files are checked in the browser before any upload (issue 16): an input with
  // data-max-bytes refuses a file over the limit or not matching its accept list, clears
  // itself and says why beside the field (data-error-target), so the form is never sent.
  function fileProblem(input) {
    var file = input.files && input.files[0];
    if (!file) return "";
    var max = Number(input.getAttribute("data-max-bytes"));
    var accept = (input.getAttribute("accept") || "").split(",").map(function (t) { return t.trim().toLowerCase(); });
    var name = file.name.toLowerCase();
    var typeOk = !accept.length || accept[0] === "" || accept.some(function (t) {
      return t.charAt(0) === "." ? name.slice(-t.length) === t : file.type.toLowerCase() === t;
    });
    if (!typeOk) return "「" + file.name + "」は PDF ファイルではありません。添付できるのは PDF ファイルのみです。";
    if (max && file.size > max) {
      return "「" + file.name + "」は " + (file.size / 1048576).toFixed(1) + " MB あります。添付できるのは " +
        input.getAttribute("data-max-label") + " までの PDF ファイルです。";
    }
    return "";
  }
  function checkFile(input) {
    var problem = fileProblem(input);
    var target = document.getElementById(input.getAttribute("data-error-target"));
    if (target) {
      target.textContent = problem;
      target.hidden = !problem;
    }
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== input.getAttribute("data-error-target");
    });
    if (problem) {
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      described.push(input.getAttribute("data-error-target"));
    } else if (!document.getElementById(input.id + "-error")) {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
    return !problem;
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]") && !checkFile(input)) input.focus();
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      if (!checkFile(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
        return;
      }
    }
  }, true);
  // The review's total follows the levels as they are chosen (Σ weight × level); the server
  // computes the same total when the review is saved.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || event.target.type !== "radio") return;
    var out = form.querySelector("[data-live-total]");
    if (!out) return;
    var total = 0;
    var groups = form.querySelectorAll("fieldset[data-weight]");
    for (var i = 0; i < groups.length; i++) {
      var checked = groups[i].querySelector("input[type=radio]:checked");
      if (checked) total += Number(groups[i].getAttribute("data-weight")) * Number(checked.value);
    }
    out.textContent = String(total);
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
