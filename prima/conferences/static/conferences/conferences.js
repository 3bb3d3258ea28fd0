/* PRIMA conferences: small helpers. No inline scripts (CSP). Countdowns: prima/prima.js. */
(function () {
  "use strict";

  /* Forms with data-confirm: prima/prima.js (every page). */

  /* A link to a stage panel (the stage track) opens the panel's <details>. */
  function openPanel(hash) {
    if (!hash || hash.indexOf("#panel-") !== 0) { return; }
    var panel = document.getElementById(hash.slice(1));
    var details = panel && panel.querySelector("details");
    if (details) { details.open = true; }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-open-panel]");
    if (link) {
      event.preventDefault();
      var hash = "#panel-" + link.dataset.openPanel;
      openPanel(hash);
      var panel = document.getElementById(hash.slice(1));
      if (panel) { panel.scrollIntoView({ block: "start" }); }
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", hash); }
    }
  });

  /* Buttons with data-copy="#id" copy that field's text (the WhatsApp invitation). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) { return; }
    var field = document.querySelector(button.dataset.copy);
    if (!field) { return; }
    function done() {
      var label = button.textContent;
      button.textContent = button.dataset.copied || label;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select(); document.execCommand("copy"); done();
      });
    } else {
      field.select(); document.execCommand("copy"); done();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    openPanel(window.location.hash);
  });
})();
