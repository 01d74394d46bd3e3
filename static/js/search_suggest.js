/* Autocomplete for the search boxes (WAI-ARIA combobox with a listbox popup).
   The box works without this file: it submits to the search page. With it, suggestions from
   search:suggest (categories, metals, stones, products) appear while typing; arrow
   keys move through them, Enter opens the one chosen, Escape closes the list. Suggestion texts
   are inserted as text, never as HTML. */
(function () {
  "use strict";

  var DELAY = 150;
  var MIN_CHARS = 2;

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!url || !list) return;
    var timer = null;
    var controller = null;
    var items = [];
    var active = -1;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (suggestion, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "search-suggest__option search-suggest__option--" + suggestion.kind;
        option.dataset.url = suggestion.url;
        option.textContent = suggestion.text;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box until we navigate
          window.location.assign(suggestion.url);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        lastQuery = query;
        close();
        return;
      }
      if (query === lastQuery && items.length) return;
      lastQuery = query;
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var address = url + "?q=" + encodeURIComponent(query);
      fetch(address, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) render(data.suggestions || []);
        })
        .catch(function () {
          /* aborted or offline: the form still submits */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next < -1) next = items.length - 1;
        if (next >= items.length) next = -1;
        highlight(next);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].dataset.url);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), setup);
})();
