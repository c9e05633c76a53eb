// Polls an import's status while it runs in the background and reloads the page when it ends.
// Without JavaScript the page offers a refresh link instead.
(function () {
  var box = document.querySelector(".pep-import-progress[data-status-url]");
  if (!box) return;
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (bar) { bar.value = s.progress; bar.textContent = s.progress + "%"; }
        if (text) { text.textContent = s.status_label + ": " + s.progress + "% done."; }
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
