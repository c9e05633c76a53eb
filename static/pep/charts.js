// Draws every chart whose figure the page sent as JSON (no inline script under the CSP).
// NEVER_SEND wins over any figure's own config: no chart may offer to upload its data (plotly's
// "Share chart" sends the figure to its cloud) or to edit it in Chart Studio.
var NEVER_SEND = {showSendToCloud: false, showEditInChartStudio: false, showLink: false, plotlyServerURL: "",
                  modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio"]};
document.querySelectorAll("script.pep-chart-data").forEach(function (block) {
  var target = document.getElementById(block.dataset.target);
  if (!target || !window.Plotly) return;
  var figure = JSON.parse(block.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, Object.assign({}, figure.config, NEVER_SEND));
});
