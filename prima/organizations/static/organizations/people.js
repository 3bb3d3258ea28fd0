/* PRIMA people pages: forms with data-confirm ask before submitting (deactivate, reset,
   sign out everywhere). No inline scripts (CSP). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
}());
