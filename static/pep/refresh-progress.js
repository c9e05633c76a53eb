// Polls a ratings refresh's status while it is queued or running, and reloads the page when it ends.
// Without JavaScript the page offers a refresh link instead.
(function () {
  var box = document.querySelector(".pep-refresh-progress[data-status-url]");
  if (!box) return;
  var text = document.getElementById("refresh-progress-text");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (text) { text.textContent = s.status_label + ": " + (s.step || "waiting to start") + "."; }
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
