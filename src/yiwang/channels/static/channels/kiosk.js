// 一网通办 self-service kiosk: clock, on-screen keypad, idle sign-out, printing notices.
// Plain ES2017, no framework, no network besides this server (the hall's intranet is offline).
(function () {
  "use strict";

  var body = document.body;

  // ---- clock -----------------------------------------------------------------------------------
  var clockDate = document.querySelector("[data-clock-date]");
  var clockTime = document.querySelector("[data-clock-time]");
  var WEEKDAYS = "日一二三四五六";
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var now = new Date();
    if (clockDate) {
      clockDate.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() +
        "日 星期" + WEEKDAYS.charAt(now.getDay());
    }
    if (clockTime) clockTime.textContent = two(now.getHours()) + ":" + two(now.getMinutes());
  }
  tick();
  setInterval(tick, 10000);

  // A long press must not open a context menu on a touch screen.
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  // ---- keypad: digits for the ID number and the PIN, X only as the ID number's last character ----
  var keypad = document.querySelector("[data-keypad]");
  var form = document.querySelector("[data-keypad-form]");
  if (keypad && form) {
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-keypad-target]"));
    var target = null;
    var firstEmpty = fields.filter(function (f) { return !f.value; })[0];

    var keyX = keypad.querySelector('[data-key="X"]');
    var select = function (field) {
      target = field;
      fields.forEach(function (f) { f.classList.toggle("is-target", f === field); });
      // X is a check character: only the 18th character of an ID number.
      if (keyX) keyX.disabled = !(field && field.dataset.keypadTarget === "id" && field.value.length === 17);
    };
    fields.forEach(function (field) {
      // The screen keypad is the keyboard: keep the system's on-screen keyboard closed.
      field.setAttribute("inputmode", "none");
      field.addEventListener("focus", function () { select(field); });
      field.addEventListener("pointerdown", function () { select(field); });
      field.addEventListener("input", function () { select(field); });
    });
    select(firstEmpty || fields[fields.length - 1] || null);

    var advance = function () {
      var index = fields.indexOf(target);
      if (index >= 0 && index < fields.length - 1) select(fields[index + 1]);
    };

    keypad.addEventListener("click", function (event) {
      var button = event.target.closest("[data-key]");
      if (!button || !target) return;
      var key = button.dataset.key;
      var max = parseInt(target.getAttribute("maxlength"), 10) || 18;
      if (key === "back") {
        target.value = target.value.slice(0, -1);
      } else if (key === "clear") {
        target.value = "";
      } else if (key === "next") {
        if (fields.indexOf(target) === fields.length - 1) {
          form.requestSubmit ? form.requestSubmit() : form.submit();
          return;
        }
        advance();
        return;
      } else if (target.value.length < max) {
        target.value += key;
        if (target.value.length === max) {
          select(target);
          advance();
          return;
        }
      }
      select(target);
    });
  }

  // ---- printing a notice: the PDF in a hidden frame, then the browser's print dialog --------------
  var printStatus = document.querySelector("[data-print-status]");
  document.querySelectorAll("[data-print-url]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var old = document.getElementById("k-print-frame");
      if (old) old.remove();
      var frame = document.createElement("iframe");
      frame.id = "k-print-frame";
      frame.title = "打印";
      frame.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0";
      frame.addEventListener("load", function () {
        if (printStatus) printStatus.hidden = true;
        try {
          frame.contentWindow.focus();
          frame.contentWindow.print();
        } catch (error) {
          window.open(link.href, "_blank");
        }
      });
      if (printStatus) printStatus.hidden = false;
      frame.src = link.dataset.printUrl;
      document.body.appendChild(frame);
    });
  });

  // ---- idle sign-out ---------------------------------------------------------------------------
  // After `idle` seconds without a touch the kiosk signs the citizen out and goes home; the last
  // `warn` seconds show a countdown with 继续使用. The server's session ends at the same time
  // (it lives `idle` seconds after the last request), so touches that make no request ping it.
  var idle = parseInt(body.dataset.idleSeconds, 10) || 120;
  var warn = Math.min(parseInt(body.dataset.warnSeconds, 10) || 20, idle);
  var signedIn = body.dataset.signedIn === "true";
  var dialog = document.querySelector("[data-idle-dialog]");
  var count = document.querySelector("[data-idle-count]");
  var logoutForm = document.querySelector("[data-logout-form]");
  var lastTouch = Date.now();
  var lastPing = Date.now();
  var leaving = false;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function ping() {
    lastPing = Date.now();
    fetch(body.dataset.pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.status === 401) leave();
    }).catch(function () {});
  }

  function leave() {
    if (leaving) return;
    leaving = true;
    if (signedIn && logoutForm) {
      logoutForm.querySelector("[data-logout-reason]").value = "idle";
      logoutForm.submit();
    } else {
      window.location.assign(body.dataset.homeUrl);
    }
  }

  function touched() {
    lastTouch = Date.now();
    if (dialog && !dialog.hidden) dialog.hidden = true;
    if (signedIn && Date.now() - lastPing > idle * 500) ping();
  }

  if (body.dataset.idle === "on") {
    ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, touched, { passive: true, capture: true });
    });
    var main = document.querySelector(".k-main");
    if (main) main.addEventListener("scroll", touched, { passive: true });
    var continueButton = document.querySelector("[data-idle-continue]");
    if (continueButton) continueButton.addEventListener("click", touched);

    setInterval(function () {
      var left = idle - (Date.now() - lastTouch) / 1000;
      if (left <= 0) {
        leave();
      } else if (left <= warn && dialog) {
        dialog.hidden = false;
        if (count) count.textContent = String(Math.ceil(left));
      }
    }, 250);
  }
})();
