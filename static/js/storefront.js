/* Storefront enhancements. Every page works without this file; it only adds comfort:
   menus that close on Escape or an outside click, the filter panel behind a button on phones,
   and the sort order applied as soon as it is chosen. */
(function () {
  "use strict";

  var menus = Array.prototype.slice.call(document.querySelectorAll("[data-menu]"));

  function closeMenus(except) {
    menus.forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) closeMenus(menu);
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      }
    });
  });

  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("focusin", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  var filters = document.querySelector(".filters");
  var toggle = filters && filters.querySelector(".filters__toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = filters.classList.toggle("filters--open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Empty price boxes would only clutter the shareable address (?price_min=&price_max=).
  var filterForm = document.getElementById("filters");
  if (filterForm) {
    filterForm.addEventListener("submit", function () {
      filterForm.querySelectorAll("input[type=number]").forEach(function (input) {
        if (!input.value) input.disabled = true;
      });
    });
    window.addEventListener("pageshow", function () {
      filterForm.querySelectorAll("input[disabled]").forEach(function (input) {
        input.disabled = false;
      });
    });
  }

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      var form = select.form;
      if (form) {
        if (form.requestSubmit) form.requestSubmit();
        else form.submit();
      }
    });
  });
})();
