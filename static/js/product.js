/* Product page: the picture gallery and the variant picker.
   Without JavaScript the thumbnails open the full pictures and the picker is one list of
   variants with a button; this file swaps pictures in place and shows one select per option
   (Metal, Ring size...), updating price and availability from the JSON the server embedded. */
(function () {
  "use strict";

  // --- Gallery ----------------------------------------------------------------------------
  var gallery = document.querySelector("[data-gallery]");
  var mainImage = gallery && gallery.querySelector("[data-gallery-image]");
  var mainLink = gallery && gallery.querySelector("[data-gallery-link]");
  var thumbs = gallery ? Array.prototype.slice.call(gallery.querySelectorAll("[data-gallery-thumb]")) : [];

  function showImage(index, moveFocus) {
    var thumb = thumbs[index];
    if (!thumb || !mainImage) return;
    mainImage.src = thumb.getAttribute("data-full");
    mainImage.alt = thumb.getAttribute("data-alt") || "";
    if (mainLink) mainLink.href = thumb.getAttribute("data-full");
    thumbs.forEach(function (other) {
      if (other === thumb) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
    });
    if (moveFocus) thumb.focus();
  }

  thumbs.forEach(function (thumb, index) {
    thumb.addEventListener("click", function (event) {
      event.preventDefault();
      showImage(index, false);
    });
    thumb.addEventListener("keydown", function (event) {
      var rtl = document.documentElement.dir === "rtl";
      var step = 0;
      if (event.key === "ArrowRight") step = rtl ? -1 : 1;
      if (event.key === "ArrowLeft") step = rtl ? 1 : -1;
      if (event.key === "Home") step = -index;
      if (event.key === "End") step = thumbs.length - 1 - index;
      if (step !== 0) {
        event.preventDefault();
        showImage((index + step + thumbs.length) % thumbs.length, true);
      }
    });
  });

  // --- Variant picker ---------------------------------------------------------------------
  var dataNode = document.getElementById("product-variants");
  var picker = document.querySelector("[data-variant-picker]");
  if (!dataNode || !picker) return;
  var data;
  try {
    data = JSON.parse(dataNode.textContent);
  } catch (error) {
    return;
  }

  var root = document.querySelector("[data-variant-root]");
  var optionBox = picker.querySelector("[data-variant-options]");
  var fallback = picker.querySelector("[data-variant-fallback]");
  var fallbackSelect = fallback && fallback.querySelector("select");
  var selects = Array.prototype.slice.call(picker.querySelectorAll("[data-option-index]"));
  var priceNode = root.querySelector("[data-variant-price]");
  var compareNode = root.querySelector("[data-variant-compare]");
  var availabilityNode = root.querySelector("[data-variant-availability]");
  var skuNode = root.querySelector("[data-variant-sku]");
  var note = document.createElement("p");
  note.className = "variant-picker__note";
  note.setAttribute("role", "status");
  note.hidden = true;
  optionBox.appendChild(note);

  if (!selects.length) return;
  optionBox.hidden = false;
  fallback.hidden = true;

  function findVariant() {
    return data.variants.find(function (variant) {
      return selects.every(function (select) {
        var position = Number(select.getAttribute("data-option-index")) - 1;
        return (variant.options[position] || "") === select.value;
      });
    });
  }

  function setText(node, text) {
    if (!node) return;
    // Keep a visually hidden "Was" label inside the compare-at price.
    var label = node.querySelector(".visually-hidden");
    node.textContent = text;
    if (label) node.insertBefore(label, node.firstChild);
  }

  function update() {
    var variant = findVariant();
    if (!variant) {
      note.textContent = picker.getAttribute("data-unavailable") || "";
      note.hidden = false;
      availabilityNode.textContent = note.textContent;
      availabilityNode.className = "availability availability--out";
      return;
    }
    note.hidden = true;
    setText(priceNode, variant.price);
    if (compareNode) {
      setText(compareNode, variant.compare_at);
      compareNode.hidden = !variant.compare_at;
    }
    availabilityNode.textContent = variant.availability;
    availabilityNode.className =
      "availability" + (variant.available ? (variant.low ? " availability--low" : "") : " availability--out");
    if (skuNode) skuNode.textContent = variant.sku || "";
    if (fallbackSelect) fallbackSelect.value = String(variant.id);
    if (typeof variant.image === "number") showImage(variant.image, false);
    if (window.history && window.history.replaceState) {
      var url = new URL(window.location.href);
      url.searchParams.set("variant", variant.id);
      window.history.replaceState(null, "", url);
    }
  }

  selects.forEach(function (select) {
    select.addEventListener("change", update);
  });
})();
