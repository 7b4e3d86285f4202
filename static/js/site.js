/* Every page: the header's to-do count (fetched after the page has loaded, so no page waits for it) and a
   confirmation before buttons marked data-confirm (publish, accept, strike off, delete). No libraries. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var text = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { event.preventDefault(); }
  }, true);

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
