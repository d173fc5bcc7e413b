// Classic (non-module) script that runs before app.js: if the app module or the package it imports cannot be
// loaded (pkg/ not built, a syntax error, a missing export), module scripts fail without running any of our
// code, so this is the only place that can tell the user instead of leaving "Loading…" on screen forever.
(function () {
  "use strict";
  function fail(detail) {
    if (document.documentElement.dataset.ready === "true") return;
    var heading = document.getElementById("loading-heading");
    var lead = document.querySelector("#screen-loading .lead");
    var status = document.getElementById("status");
    var spinner = document.querySelector("#screen-loading .spinner");
    if (heading) heading.textContent = "The sign-in page could not start";
    if (lead) lead.textContent = "Its script or the cognito-totp package (pkg/cognito_totp.js) failed to load. " +
      "Build it with cargo xtask demo (it builds the package into www/pkg).";
    if (spinner) spinner.hidden = true;
    if (status) {
      status.className = "status is-error";
      status.dataset.errorName = "LoadError";
      status.textContent = detail;
    }
  }
  var app = document.getElementById("app-script");
  if (app) {
    app.addEventListener("error", function () { fail("app.js or one of its imports could not be fetched."); });
  }
  window.addEventListener("error", function (event) {
    fail("Script error: " + (event.message || "unknown"));
  });
})();
