/* 好差评 and 咨询投诉: small enhancements on forms that work without script.
   - rating: show only the chosen level's options (and untick the others': the server refuses options
     of another level), a hint until a level is chosen;
   - request: the 举报 protection note only for 举报; 匿名 greys out the contact fields;
   - a second tap on 提交 while the first is on its way does nothing;
   - focus the error summary so screen-reader users hear what to fix.
   Works on the portal and the kiosk (data attributes only). */
(function () {
  "use strict";

  function each(root, selector, fn) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), fn);
  }

  // --- rating: the chosen level's options -----------------------------------------------------
  each(document, "[data-rating-form]", function (form) {
    var hint = form.querySelector("[data-options-hint]");
    function chosen() {
      var input = form.querySelector('input[name="level"]:checked');
      return input ? input.value : "";
    }
    function show() {
      var level = chosen();
      each(form, "[data-option-group]", function (group) {
        var mine = group.getAttribute("data-option-group") === level;
        group.hidden = !mine;
        if (!mine) each(group, 'input[type="checkbox"]', function (box) { box.checked = false; });
      });
      if (hint) hint.hidden = level !== "";
      form.setAttribute("data-level", level);
    }
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "level") show();
    });
    show();
  });

  // --- request: 举报 note, 匿名 ------------------------------------------------------------------
  each(document, "[data-request-form]", function (form) {
    var note = form.querySelector("[data-report-note]");
    var anonymous = form.querySelector("[data-anonymous-input]");
    var contact = form.querySelector("[data-contact-fields]");
    function update() {
      var type = form.querySelector('input[name="type"]:checked');
      if (note) note.hidden = !(type && type.value === "report");
      if (anonymous && contact) {
        each(contact, "input", function (input) { input.disabled = anonymous.checked; });
      }
    }
    form.addEventListener("change", update);
    update();
  });

  // --- every form: one submission at a time, errors announced ----------------------------------
  each(document, "[data-rating-form], [data-request-form], [data-judge-form]", function (form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector('button[type="submit"]');
      if (!button) return;
      if (button.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      button.setAttribute("aria-busy", "true");
    });
  });
  // Back to a page kept in the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function () {
    each(document, 'button[aria-busy="true"]', function (button) { button.removeAttribute("aria-busy"); });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
