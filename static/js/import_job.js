/* A large import's page: poll the background job's progress; once it has a preview or an outcome, reload to show
   it. No libraries. */
(function () {
  "use strict";
  var box = document.getElementById("import-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("import-progress");
  var percent = document.getElementById("import-percent");
  var status = document.getElementById("import-status");
  var error = document.getElementById("import-error");
  var delay = 1000;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    percent.textContent = data.progress + "%";
    status.textContent = data.status_label;
    if (data.status === "failed") {
      error.hidden = false;
      error.querySelector("span").textContent = data.error || "";
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.running) { window.setTimeout(poll, delay); return; }
        if (data.status !== "failed") { window.location.reload(); }  // the preview or the outcome
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or gone: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
}());
