/* Small behaviours shared by every page of the console and the public site, written as data
 * attributes so that no template needs an inline script or an on*= handler (the Content Security
 * Policy allows scripts from this site only). Every page also works without this script.
 *
 * - <select data-autosubmit> submits its form when the choice changes.
 * - <div data-show-when="NAME" data-show-in="a b"> is shown only while the form field NAME has one
 *   of the values a, b; data-show-not-in="a b" shows it while the field has a value other than those.
 * - <select data-clear-deeper="N"> (the public directory's region picker) empties every select with
 *   data-region-depth greater than N before htmx loads the next level's options.
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  function fieldValue(form, name) {
    var checked = form.querySelector('[name="' + name + '"]:checked');
    if (checked) { return checked.value; }
    var field = form.querySelector('[name="' + name + '"]:not([type=radio]):not([type=checkbox])');
    return field ? field.value : "";
  }

  function words(text) { return (text || "").split(/\s+/).filter(Boolean); }

  function refresh(root) {
    (root || document).querySelectorAll("[data-show-when]").forEach(function (el) {
      var form = el.closest("form");
      if (!form) { return; }
      var value = fieldValue(form, el.getAttribute("data-show-when"));
      var show = true;
      if (el.hasAttribute("data-show-in")) { show = words(el.getAttribute("data-show-in")).indexOf(value) >= 0; }
      if (el.hasAttribute("data-show-not-in")) {
        show = show && value !== "" && words(el.getAttribute("data-show-not-in")).indexOf(value) < 0;
      }
      el.hidden = !show;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.form && event.target.form.querySelector("[data-show-when]")) { refresh(event.target.form); }
  });
  refresh();

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    if (!source || !source.hasAttribute || !source.hasAttribute("data-clear-deeper")) { return; }
    var depth = Number(source.getAttribute("data-clear-deeper"));
    document.querySelectorAll("select[data-region-depth]").forEach(function (select) {
      if (Number(select.getAttribute("data-region-depth")) > depth) {
        select.innerHTML = '<option value="">—</option>';
      }
    });
  });
})();
