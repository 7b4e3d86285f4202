/* A background job's page (year-end export, large import): poll the job's status and show its progress, stage and
   error. The job's box says where: data-job-status-url, data-prefix (the ids of its parts: <prefix>-progress, -percent,
   -status, -stage, -downloads, -error) and data-when-done="reload" when the finished page shows the outcome.
   No libraries. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status-url");
  var prefix = box.getAttribute("data-prefix");
  function part(name) { return document.getElementById(prefix + "-" + name); }
  var bar = part("progress"), percent = part("percent"), status = part("status"), stage = part("stage");
  var downloads = part("downloads"), error = part("error");
  var reload = box.getAttribute("data-when-done") === "reload";
  var delay = 1000;

  function show(data) {
    bar.value = data.progress;
    bar.textContent = data.progress + "%";
    percent.textContent = data.progress + "%";
    status.textContent = data.status_label;
    if (stage) { stage.textContent = data.stage || ""; }
    if (downloads && data.status === "done") { downloads.hidden = false; }
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
        if (reload && data.status !== "failed") { window.location.reload(); }  // the preview or the outcome
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or gone: back off, keep trying
        window.setTimeout(poll, delay);
      });
  }

  if (box.getAttribute("data-finished") !== "true") { window.setTimeout(poll, delay); }
}());
