/* The check-up visit form: without JavaScript every check-list line shows its details; with it, a
 * line opens when its switch is on (open12348.css hides closed lines once the form is "js-ready"). */
(function () {
  "use strict";
  var form = document.querySelector(".checkup-form");
  if (!form) { return; }
  form.querySelectorAll(".checkup-item").forEach(function (item) {
    var box = item.querySelector("input[type=checkbox]");
    if (!box) { return; }
    box.addEventListener("change", function () { item.classList.toggle("found", box.checked); });
  });
  form.classList.add("js-ready");
})();
