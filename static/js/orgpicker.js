/* Scope pickers ([data-org-picker]): typing asks the server for the matching organisations in the user's scope
   (a short JSON list) and offers them in a datalist; choosing one puts its id in the hidden `org` field. An empty
   box means the whole scope; text matching no organisation stops the form with the picker's own message, so that
   a typo never silently shows the whole scope. No libraries. */
(function () {
  "use strict";
  if (!window.fetch) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("[data-org-picker]"), function (picker) {
    var text = picker.querySelector("[data-org-text]");
    var hidden = picker.querySelector("[data-org-id]");
    var list = document.getElementById(text.getAttribute("list"));
    var known = {};  // label → id of what the server offered
    known[text.value] = hidden.value;  // the organisation shown now
    var timer = null;
    var asked = "";

    function choose() {
      var value = text.value.trim();
      if (!value) {
        hidden.value = "";
      } else if (Object.prototype.hasOwnProperty.call(known, value)) {
        hidden.value = known[value];
      } else {
        hidden.value = "";
      }
      text.setCustomValidity(value && !hidden.value ? picker.getAttribute("data-unknown") : "");
    }

    function search() {
      var value = text.value.trim();
      if (!value || value === asked) { return; }
      asked = value;
      var url = picker.getAttribute("data-search-url") + "?q=" + encodeURIComponent(value);
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) {
          list.textContent = "";
          data.results.forEach(function (org) {
            known[org.label] = String(org.id);
            if (!Object.prototype.hasOwnProperty.call(known, org.name)) { known[org.name] = String(org.id); }
            var option = document.createElement("option");
            option.value = org.label;
            list.appendChild(option);
          });
          choose();
        })
        .catch(function () { /* the box keeps what it had; the form refuses unknown text */ });
    }

    text.addEventListener("input", function () {
      choose();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    text.addEventListener("change", choose);
  });
}());
