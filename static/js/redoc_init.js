// Starts ReDoc on /api/redoc/ with the schema URL and settings the page carries as data
// (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  var settingsElement = document.getElementById("redoc-settings");
  if (!container || typeof Redoc === "undefined") {
    return;
  }
  var settings = settingsElement ? JSON.parse(settingsElement.textContent) : {};
  Redoc.init(container.dataset.schemaUrl, settings || {}, container);
})();
