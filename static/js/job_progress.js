/* Live progress of AI jobs in the admin.
 *
 * Every element with data-job-progress (rendered by ai/admin.py) carries its job's status
 * and the URL of its JSON progress endpoint. While any of them is queued or running, this
 * asks each active job's endpoint every two seconds and updates the bar, its ARIA value,
 * the percentage, the status badge and the message. It stops when nothing is active and
 * pauses while the tab is hidden.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var ACTIVE = { queued: true, running: true };
  var timer = null;

  function bars() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-job-progress]"));
  }

  function activeBars() {
    return bars().filter(function (bar) {
      return ACTIVE[bar.getAttribute("data-status")];
    });
  }

  function update(bar, data) {
    var id = bar.getAttribute("data-job-id");
    var value = Math.max(0, Math.min(100, parseInt(data.progress, 10) || 0));
    bar.setAttribute("data-status", data.status);
    var track = bar.querySelector("[role=progressbar]");
    if (track) {
      track.setAttribute("aria-valuenow", String(value));
    }
    var fill = bar.querySelector(".ai-progress__bar");
    if (fill) {
      fill.style.width = value + "%";
    }
    var text = bar.querySelector(".ai-progress__text");
    if (text) {
      text.textContent = value + "%";
    }
    document.querySelectorAll('[data-job-status-for="' + id + '"]').forEach(function (badge) {
      badge.textContent = data.status_label;
      badge.className = "ai-job-status ai-job-status--" + data.status;
    });
    document.querySelectorAll('[data-job-message-for="' + id + '"]').forEach(function (cell) {
      cell.textContent = data.message || "";
    });
  }

  function refresh(bar) {
    return fetch(bar.getAttribute("data-progress-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          // Logged out or the job was deleted: stop asking for this one.
          bar.setAttribute("data-status", "unknown");
          return null;
        }
        return response.json();
      })
      .then(function (data) {
        if (data) {
          update(bar, data);
        }
      })
      .catch(function () {
        // A network hiccup: try again at the next tick.
      });
  }

  function schedule() {
    if (timer === null && activeBars().length && !document.hidden) {
      timer = window.setTimeout(tick, INTERVAL_MS);
    }
  }

  function tick() {
    timer = null;
    Promise.all(activeBars().map(refresh)).then(schedule, schedule);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden && timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      schedule();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", schedule);
  } else {
    schedule();
  }
})();
