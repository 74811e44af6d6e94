/* 一网通办 apply page: small enhancements on top of a form that works without script.
   - bundle: hide the fields and materials only the unticked optional items need;
   - uploads (htmx): refuse an oversized file before sending it, clear the picker after a good upload;
   - move focus to the error summary so screen-reader users hear what to fix;
   - a second click on 提交 while the first is on its way does nothing (the server is idempotent anyway). */
(function () {
  "use strict";

  var form = document.getElementById("apply-form");
  if (!form) return;

  // --- bundle members: show what the chosen items need -------------------------------------
  function chosenVersions() {
    var ids = (form.getAttribute("data-always-versions") || "").split(/\s+/).filter(Boolean);
    form.querySelectorAll('input[name="members"]:checked').forEach(function (box) {
      ids.push(box.getAttribute("data-version"));
    });
    return ids;
  }

  function applyMembers() {
    if (!form.querySelector('input[name="members"]')) return;
    var chosen = chosenVersions();
    form.querySelectorAll("[data-versions]").forEach(function (el) {
      var needed = el.getAttribute("data-versions").split(/\s+/).filter(Boolean);
      var show = needed.length === 0 || needed.some(function (v) { return chosen.indexOf(v) !== -1; });
      el.hidden = !show;
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "members") applyMembers();
  });
  applyMembers();

  // --- uploads --------------------------------------------------------------------------------
  var maxBytes = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
  var maxLabel = form.getAttribute("data-max-label") || "";

  function errorBox(input) {
    var row = input.name.replace(/\.file$/, "");
    return document.getElementById(row + "-upload-error");
  }

  function say(box, message) {
    if (!box) return;
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "field-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    box.appendChild(p);
  }

  document.body.addEventListener("htmx:confirm", function (event) {
    var input = event.detail.elt;
    if (!input || input.type !== "file") return;
    var file = input.files && input.files[0];
    if (!file) {
      event.preventDefault();
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      event.preventDefault();
      input.value = "";
      say(errorBox(input), "文件过大，单个文件不能超过 " + maxLabel + "，请压缩后重新选择");
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var input = event.detail.elt;
    if (!input || input.type !== "file") return;
    if (event.detail.successful) {
      input.value = ""; // stored already: do not send the bytes again with the form
      var label = form.querySelector('label[for="' + input.id + '"]');
      if (label && event.detail.target && event.detail.target.querySelector("input[type=hidden]")) {
        label.textContent = "更换文件";
      }
    } else if (event.detail.xhr && event.detail.xhr.status === 0) {
      say(errorBox(input), "网络异常，文件未上传成功，请重新选择");
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var input = event.detail.elt;
    if (input && input.type === "file") {
      var status = event.detail.xhr.status;
      say(errorBox(input), status === 400 || status === 413
        ? "文件过大或无法识别，单个文件不能超过 " + maxLabel + "，请重新选择"
        : "文件未上传成功（" + status + "），请稍后重新选择");
    }
  });

  // --- error summary first ---------------------------------------------------------------------
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // --- one submission per click ----------------------------------------------------------------
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending) {
      event.preventDefault();
      return;
    }
    sending = true;
    var button = event.submitter;
    if (button && button.classList.contains("button-submit")) {
      button.setAttribute("aria-busy", "true");
      button.textContent = "正在提交…";
    }
    // Let the page be used again if the browser comes back to it (history) without reloading.
    window.addEventListener("pageshow", function () { sending = false; }, { once: true });
  });
})();
