/* Year-end export page: poll the job's status and show its progress, then the download links. No libraries. */
(function () {
  "use strict";
  var box = document.getElementById("yearend-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("yearend-progress");
  var percent = document.getElementById("yearend-percent");
  var status = document.getElementById("yearend-status");
  var stage = document.getElementById("yearend-stage");
  var downloads = document.getElementById("yearend-downloads");
  var error = document.getElementById("yearend-error");
  var delay = 1000;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    percent.textContent = data.progress + "%";
    status.textContent = data.status_label;
    stage.textContent = data.stage || "";
    if (data.status === "done") { downloads.hidden = false; }
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
        if (!data.finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or gone: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }

  if (box.getAttribute("data-status") !== "done" && box.getAttribute("data-status") !== "failed") {
    window.setTimeout(poll, delay);
  }
}());
