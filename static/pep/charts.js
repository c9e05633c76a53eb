// Draws every chart whose figure the page sent as JSON (no inline script under the CSP).
document.querySelectorAll("script.pep-chart-data").forEach(function (block) {
  var target = document.getElementById(block.dataset.target);
  if (!target || !window.Plotly) return;
  var figure = JSON.parse(block.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, figure.config);
});
