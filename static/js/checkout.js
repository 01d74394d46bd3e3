// Checkout payment form: one submit per click, card number shown in groups of four.
// The server already makes a double submit harmless (idempotency key); this only spares the
// shopper a second wait. The page works the same without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll("form[data-checkout-form]").forEach(function (form) {
    var button = form.querySelector("[data-pay-button]");
    var card = form.querySelector("input[autocomplete='cc-number']");
    if (card) {
      card.addEventListener("input", function () {
        var digits = card.value.replace(/\D/g, "").slice(0, 19);
        card.value = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
      });
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "true";
      if (button) {
        button.setAttribute("aria-busy", "true");
        button.disabled = true;
      }
    });
  });
})();
