/* PRIMA: live countdowns (crisis deadlines on conference pages and the home page), and
 * forms with data-confirm that ask before submitting (cancel a conference, deactivate an
 * account…). No inline scripts (CSP).
 *
 * A countdown is any element with data-deadline (ISO 8601). The server renders the text
 * as it stood when the page was made; this script keeps it ticking every second.
 * data-server-now (ISO) corrects a client clock that is off; data-label-left /
 * data-label-missed are the translated sentences with "{t}" where the time goes;
 * data-units holds the translated unit letters "d h m s" (e.g. "hr j mnt dtk").
 */
(function () {
  "use strict";

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function format(ms, units) {
    var total = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(total / 86400);
    var h = Math.floor((total % 86400) / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var parts = [];
    if (d) { parts.push(d + " " + units[0]); }
    if (d || h) { parts.push(h + " " + units[1]); }
    parts.push(pad(m) + " " + units[2]);
    parts.push(pad(s) + " " + units[3]);
    return parts.join(" ");
  }

  function setup(el) {
    if (el.dataset.countdownReady) { return; }
    var deadline = Date.parse(el.dataset.deadline);
    if (isNaN(deadline)) { return; }
    el.dataset.countdownReady = "1";
    var serverNow = Date.parse(el.dataset.serverNow || "");
    var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
    var units = (el.dataset.units || "d h m s").split(" ");
    var left = el.dataset.labelLeft || "{t}";
    var missed = el.dataset.labelMissed || "-{t}";
    var target = el.querySelector("[data-countdown-text]") || el;
    var box = el.closest("[data-countdown-box]") || el;
    var done = el.dataset.done === "1";

    function tick() {
      if (!document.body.contains(el)) { return false; }
      var remaining = deadline - (Date.now() + skew);
      if (done) { return false; }
      if (remaining <= 0) {
        target.textContent = missed.replace("{t}", format(remaining, units));
        box.classList.add("missed");
        box.classList.remove("soon");
      } else {
        target.textContent = left.replace("{t}", format(remaining, units));
        box.classList.toggle("soon", remaining < 15 * 60 * 1000);
      }
      el.dataset.ticks = String(Number(el.dataset.ticks || "0") + 1);
      return true;
    }

    if (tick()) {
      var timer = window.setInterval(function () {
        if (!tick()) { window.clearInterval(timer); }
      }, 1000);
    }
  }

  function init(root) {
    var nodes = (root || document).querySelectorAll("[data-deadline]");
    for (var i = 0; i < nodes.length; i++) { setup(nodes[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  /* Content swapped in by htmx (panels, out-of-band deadlines) may carry countdowns. */
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();

(function () {
  "use strict";
  /* Forms with data-confirm ask before submitting. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
}());
