/* Draws the Vega-Lite charts of the monitoring pages.
 *
 * A chart is a placeholder <div data-chart="ID"> plus a <script type="application/json"
 * id="ID"> data block (Django's json_script) holding the spec. The page's CSP is
 * script-src 'self' without 'unsafe-eval', so vega must not compile expressions with
 * new Function(): {ast: true} makes vega-embed evaluate them with its bundled
 * expression interpreter (vega-interpreter) instead.
 */
(function () {
  "use strict";

  function draw(holder) {
    if (holder.dataset.chartDrawn) return;
    var block = document.getElementById(holder.dataset.chart);
    if (!block || typeof window.vegaEmbed !== "function") return;
    var spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (err) {
      holder.textContent = holder.dataset.chartError || "Chart unavailable";
      return;
    }
    holder.dataset.chartDrawn = "1";
    window.vegaEmbed(holder, spec, {
      ast: true,
      actions: false,
      renderer: holder.dataset.renderer || "svg",
      tooltip: { theme: "light" },
    }).then(function () {
      holder.classList.add("chart-ready");
    }).catch(function (err) {
      holder.classList.add("chart-failed");
      holder.textContent = holder.dataset.chartError || "Chart unavailable";
      if (window.console) window.console.error(err);
    });
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var holders = scope.querySelectorAll("[data-chart]");
    for (var i = 0; i < holders.length; i++) draw(holders[i]);
    if (scope !== document && scope.dataset && scope.dataset.chart) draw(scope);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Panels swapped in by htmx bring their own charts.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
