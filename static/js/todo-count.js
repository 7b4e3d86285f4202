/* Header: the to-do count, fetched after the page has loaded so that no page waits for it. No libraries. */
(function () {
  "use strict";
  var link = document.getElementById("todo-link");
  if (!link || !window.fetch) { return; }
  fetch(link.getAttribute("data-count-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data || !data.count) { return; }
      var badge = document.getElementById("todo-count");
      badge.textContent = String(data.count);
      badge.hidden = false;
    })
    .catch(function () { /* the count is a convenience: the inbox page itself always works */ });
}());
