/* Loads the product page's recommendation blocks ("Often bought together", "You may also like")
   once the page is shown, from the HTML fragment at data-recommendations-url (issue 5). */
(function () {
  "use strict";

  function load(container) {
    var url = container.getAttribute("data-recommendations-url");
    if (!url || container.getAttribute("data-loaded")) {
      return;
    }
    container.setAttribute("data-loaded", "1");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (html && html.trim()) {
          container.innerHTML = html;
        }
      })
      .catch(function () {
        /* Recommendations are a bonus: a failure leaves the page as it is. */
      });
  }

  function start() {
    var containers = document.querySelectorAll("[data-recommendations-url]");
    Array.prototype.forEach.call(containers, function (container) {
      if ("IntersectionObserver" in window) {
        var observer = new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              if (entry.isIntersecting) {
                observer.disconnect();
                load(container);
              }
            });
          },
          { rootMargin: "600px" }
        );
        observer.observe(container);
      } else {
        load(container);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
