// 评价器: show only the options of the chosen level, and clear the others so they are not sent.
(function () {
  var form = document.getElementById("ev-form");
  if (!form) return;
  document.body.classList.add("ev-js");
  var groups = form.querySelectorAll(".ev-option-group");
  function show() {
    var checked = form.querySelector('input[name="level"]:checked');
    var level = checked ? checked.value : "";
    groups.forEach(function (group) {
      var mine = group.getAttribute("data-level") === level;
      group.hidden = !mine;
      if (!mine) group.querySelectorAll("input").forEach(function (box) { box.checked = false; });
    });
  }
  form.querySelectorAll('input[name="level"]').forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
