// Small page behaviours; everything works without them, they only help.
// 1. After a save or a refused form, move focus to the confirmation or the error summary, so
//    that a screen reader reads it and the page does not open somewhere below it.
// 3. Enter in a search field that only searches (a person picker) searches; it does not send
//    the form around it.
// 2. Show only the part of a form that applies: an element with data-show-when="name=value"
//    is hidden unless the radio button `name` has that value.
(function () {
  "use strict";

  function focusFirst() {
    var target = document.querySelector("[data-autofocus]");
    if (target) {
      target.focus();
    }
  }

  function applyConditions(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (element) {
      var parts = element.getAttribute("data-show-when").split("=");
      var checked = form.querySelector('input[name="' + parts[0] + '"]:checked');
      element.hidden = !checked || checked.value !== parts[1];
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-search-only]")) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusFirst();
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) {
        applyConditions(form);
        form.addEventListener("change", function () { applyConditions(form); });
      }
    });
  });
})();
