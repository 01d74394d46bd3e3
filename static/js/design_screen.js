/* The design drafts' screening page: when the job followed by its progress bar (job_progress.js)
 * succeeds, the page reloads once to show the new drafts. */
(function () {
  "use strict";
  var bar = document.querySelector("[data-reload-when-done]");
  if (!bar || !window.MutationObserver) {
    return;
  }
  var initial = bar.getAttribute("data-status");
  if (initial !== "queued" && initial !== "running") {
    return;
  }
  new MutationObserver(function () {
    if (bar.getAttribute("data-status") === "succeeded") {
      window.location.reload();
    }
  }).observe(bar, { attributes: true, attributeFilter: ["data-status"] });
})();
