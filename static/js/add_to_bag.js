/* Product page: keeps the add-to-bag form on the variant the picker shows (product.js), and
   turns the button into "Sold out" for a variant with no stock or a combination that does not
   exist. Without JavaScript the picker reloads the page, which renders the right variant. */
(function () {
  "use strict";
  var form = document.querySelector("[data-add-to-bag]");
  var dataNode = document.getElementById("product-variants");
  var picker = document.querySelector("[data-variant-picker]");
  if (!form || !dataNode || !picker) return;
  var data;
  try {
    data = JSON.parse(dataNode.textContent);
  } catch (error) {
    return;
  }
  var input = form.querySelector("[data-add-variant]");
  var button = form.querySelector("[data-add-button]");
  var selects = Array.prototype.slice.call(picker.querySelectorAll("[data-option-index]"));

  function findVariant() {
    return data.variants.find(function (variant) {
      return selects.every(function (select) {
        var position = Number(select.getAttribute("data-option-index")) - 1;
        return (variant.options[position] || "") === select.value;
      });
    });
  }

  function update() {
    var variant = findVariant();
    var available = Boolean(variant && variant.available);
    if (variant) input.value = String(variant.id);
    button.disabled = !available;
    button.textContent = button.getAttribute(available ? "data-label-add" : "data-label-sold-out");
  }

  selects.forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
