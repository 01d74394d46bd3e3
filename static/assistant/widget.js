/* The shop assistant's chat (issue 14): templates/assistant/widget.html, on every page.

   A launcher button opens a non-modal dialog; the focus moves into it (the message box) and back
   to the launcher when it closes (the close button or Escape). Messages go to the assistant API
   (POST messages/) with the page's language, the product handle on a product page and the CSRF
   token of the widget's form. Everything the server or the shopper wrote is inserted as text
   (textContent), never as HTML; links are kept only when they are http(s) addresses. Every
   sentence shown comes translated from the template ([data-assistant-strings]).

   The conversation's id is kept in sessionStorage, so the chat follows the shopper from page to
   page during the session (the server also keeps it per session, and merges it into the account
   at sign-in). While a person from the shop answers (status "open" or "assigned") and the panel
   is open, the widget asks for new messages every few seconds. */
(function () {
  "use strict";

  var root = document.querySelector("[data-assistant]");
  if (!root || !window.fetch || !window.JSON) return;

  var POLL_MS = 4000;
  var STORE_ID = "aurelia.assistant.conversation";
  var STORE_OPEN = "aurelia.assistant.open";
  var HUMAN_STATUSES = { open: true, assigned: true };

  // The API's root, from the address of its messages endpoint (/api/v1/assistant/messages/).
  var api = (root.getAttribute("data-messages-url") || "/api/v1/assistant/messages/").replace(
    /messages\/$/,
    ""
  );
  var language = root.getAttribute("data-language") || document.documentElement.lang || "en";
  var launcher = root.querySelector("[data-assistant-launcher]");
  var panel = root.querySelector("[data-assistant-panel]");
  var closeButton = root.querySelector("[data-assistant-close]");
  var log = root.querySelector("[data-assistant-log]");
  var stateLine = root.querySelector("[data-assistant-state]");
  var personButton = root.querySelector("[data-assistant-person]");
  var form = root.querySelector("[data-assistant-form]");
  var input = root.querySelector("[data-assistant-input]");
  var sendButton = root.querySelector("[data-assistant-send]");
  var stringsNode = root.querySelector("[data-assistant-strings]");
  var productNode = document.querySelector("[data-assistant-product]");
  var productHandle = productNode ? productNode.getAttribute("data-assistant-product") : "";

  function t(name) {
    return (stringsNode && stringsNode.getAttribute("data-" + name)) || "";
  }

  var conversation = storageGet(STORE_ID);
  var status = "";
  var lastId = 0;
  var shown = {};
  var historyLoaded = false;
  var pollTimer = null;
  var busy = false;
  var polling = false;
  // The shopper's messages shown at once, before the server gave them an id: a later fetch
  // that returns them (polling after a handoff) fills in the id instead of showing them twice.
  var pending = [];

  function storageGet(key) {
    try {
      return window.sessionStorage.getItem(key) || "";
    } catch (error) {
      return "";
    }
  }

  function storageSet(key, value) {
    try {
      if (value) window.sessionStorage.setItem(key, value);
      else window.sessionStorage.removeItem(key);
    } catch (error) {
      // Private modes may refuse storage: the server still knows the session's conversation.
    }
  }

  function csrfToken() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function request(method, path, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", "Accept-Language": language },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrfToken();
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return { ok: response.ok, status: response.status, data: data || {} };
        });
    });
  }

  // --- Safe building blocks: text only, http(s) links only --------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (!value || typeof value !== "string") return "";
    try {
      var url = new URL(value, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  // --- Rendering ----------------------------------------------------------------------------------
  function productCards(products) {
    var list = element("ul", "assistant__products");
    list.setAttribute("aria-label", t("products"));
    products.forEach(function (product) {
      var href = safeUrl(product.url);
      var item = element("li", "assistant-card");
      var image = safeUrl(product.image);
      if (image) {
        var picture = element("img", "assistant-card__image");
        picture.src = image;
        picture.alt = "";
        picture.width = 64;
        picture.height = 64;
        picture.loading = "lazy";
        picture.decoding = "async";
        item.appendChild(picture);
      }
      var body = element("div", "assistant-card__body");
      var name = href ? element("a", "assistant-card__name", product.name) : element("span", "assistant-card__name", product.name);
      if (href) name.href = href;
      body.appendChild(name);
      var price = product.price_display || [product.price, product.currency].filter(Boolean).join(" ");
      if (price) body.appendChild(element("span", "assistant-card__price", price));
      var available = product.available !== false;
      body.appendChild(
        element(
          "span",
          "assistant-card__stock assistant-card__stock--" + (available ? "in" : "out"),
          available ? t("in-stock") : t("sold-out")
        )
      );
      item.appendChild(body);
      list.appendChild(item);
    });
    return list;
  }

  function helpLinks(help) {
    var box = element("div", "assistant__help");
    box.appendChild(element("p", "assistant__help-title", t("help")));
    var list = element("ul", "assistant__help-list");
    help.forEach(function (hit) {
      var href = safeUrl(hit.url);
      var item = element("li");
      var link = href ? element("a", "", hit.title) : element("span", "", hit.title);
      if (href) link.href = href;
      item.appendChild(link);
      if (hit.snippet) item.appendChild(element("span", "assistant__help-snippet", hit.snippet));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function actionButtons(actions) {
    var box = element("div", "assistant__actions");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("actions"));
    actions.forEach(function (action) {
      if (!action || action.id === undefined || action.id === null) return;
      var button = element("button", "assistant__action", action.label || action.kind);
      button.type = "button";
      button.addEventListener("click", function () {
        box.querySelectorAll("button").forEach(function (other) {
          other.disabled = true;
        });
        send(action.label || action.kind || "", String(action.id));
      });
      box.appendChild(button);
    });
    return box;
  }

  var SVG = "http://www.w3.org/2000/svg";
  var THUMB =
    "M7 10v10H4V10zM7 10l4-7c1.4 0 2.3 1 2 2.4L12.4 9H18a2 2 0 0 1 2 2.3l-1.2 6.9A2 2 0 0 1 " +
    "16.8 20H7";

  /* A thumb drawn as an inline icon (emoji fonts are not everywhere); down is up turned over. */
  function thumb(down) {
    var icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("width", "18");
    icon.setAttribute("height", "18");
    icon.setAttribute("aria-hidden", "true");
    icon.setAttribute("class", "icon" + (down ? " assistant__thumb--down" : ""));
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", THUMB);
    icon.appendChild(path);
    return icon;
  }

  function ratingButtons(messageId, current) {
    var box = element("div", "assistant__rating");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t("rate-group"));
    var choices = [
      { value: 1, label: t("rate-up"), flip: false },
      { value: -1, label: t("rate-down"), flip: true },
    ];
    var note = element("span", "assistant__rated");
    choices.forEach(function (choice) {
      var button = element("button", "assistant__rate");
      button.type = "button";
      button.setAttribute("aria-pressed", current === choice.value ? "true" : "false");
      button.setAttribute("data-rating", String(choice.value));
      button.appendChild(thumb(choice.flip));
      button.appendChild(element("span", "visually-hidden", choice.label));
      button.title = choice.label;
      button.addEventListener("click", function () {
        request("POST", "messages/" + encodeURIComponent(messageId) + "/rating/", {
          rating: choice.value,
        })
          .then(function (result) {
            if (!result.ok) return;
            box.querySelectorAll("button").forEach(function (other) {
              other.setAttribute(
                "aria-pressed",
                other.getAttribute("data-rating") === String(choice.value) ? "true" : "false"
              );
            });
            note.textContent = t("rated");
          })
          .catch(function () {});
      });
      box.appendChild(button);
    });
    box.appendChild(note);
    return box;
  }

  function senderLabel(sender) {
    if (sender === "shopper") return t("you");
    if (sender === "staff") return t("staff");
    if (sender === "system") return t("system");
    return t("assistant");
  }

  /* One message: {id, sender, text, products, actions, help, rating}. */
  function renderMessage(message) {
    if (message.id !== undefined && message.id !== null && message.sender === "shopper") {
      for (var i = 0; i < pending.length; i += 1) {
        if (pending[i].text === message.text) {
          var known = pending.splice(i, 1)[0].node;
          shown[message.id] = true;
          known.setAttribute("data-message-id", String(message.id));
          if (Number(message.id) > lastId) lastId = Number(message.id);
          return known;
        }
      }
    }
    if (message.id !== undefined && message.id !== null) {
      if (shown[message.id]) return null;
      shown[message.id] = true;
      if (Number(message.id) > lastId) lastId = Number(message.id);
    }
    var sender = message.sender || "assistant";
    var bubble = element("div", "assistant-msg assistant-msg--" + sender);
    if (message.id !== undefined && message.id !== null) bubble.setAttribute("data-message-id", String(message.id));
    bubble.appendChild(element("span", "assistant-msg__sender", senderLabel(sender)));
    if (message.text) bubble.appendChild(element("p", "assistant-msg__text", message.text));
    if (Array.isArray(message.products) && message.products.length) bubble.appendChild(productCards(message.products));
    if (Array.isArray(message.help) && message.help.length) bubble.appendChild(helpLinks(message.help));
    if (Array.isArray(message.actions) && message.actions.length && message.current !== false) {
      bubble.appendChild(actionButtons(message.actions));
    }
    if (sender === "assistant" && message.id !== undefined && message.id !== null) {
      bubble.appendChild(ratingButtons(message.id, message.rating));
    }
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  function setStatus(value) {
    status = value || status;
    if (status === "open") stateLine.textContent = t("handoff-waiting");
    else if (status === "assigned") stateLine.textContent = t("handoff-assigned");
    else if (status === "closed") stateLine.textContent = t("closed");
    else stateLine.textContent = "";
    root.setAttribute("data-status", status || "bot");
    storageSet(STORE_OPEN, HUMAN_STATUSES[status] && !panel.hidden ? "1" : "");
    schedulePoll();
  }

  function setConversation(id) {
    if (id && id !== conversation) {
      conversation = String(id);
      storageSet(STORE_ID, conversation);
    }
  }

  function forgetConversation() {
    conversation = "";
    storageSet(STORE_ID, "");
    storageSet(STORE_OPEN, "");
    status = "";
  }

  function showError(text) {
    var note = element("p", "assistant-msg assistant-msg--error", text);
    log.appendChild(note);
    scrollToEnd();
  }

  // --- Talking to the API -----------------------------------------------------------------------
  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    root.classList.toggle("assistant--busy", value);
    if (value) stateLine.textContent = t("writing");
  }

  /* Sends the shopper's text (or the confirmation of a proposed action) and shows the reply. */
  function send(text, confirm) {
    if (busy) return Promise.resolve(null);
    text = (text || "").trim();
    if (!text && !confirm) return Promise.resolve(null);
    var body = { text: text, language: language };
    if (conversation) body.conversation = conversation;
    if (productHandle) body.product = productHandle;
    if (confirm) body.confirm = confirm;
    var mine = renderMessage({ sender: "shopper", text: text });
    pending.push({ text: text, node: mine });
    setBusy(true);
    return request("POST", "messages/", body)
      .then(function (result) {
        setBusy(false);
        var data = result.data;
        if (!result.ok) {
          if (result.status === 404 && body.conversation) forgetConversation();
          showError(result.status === 429 ? t("busy") : t("error"));
          setStatus(status);
          return null;
        }
        setConversation(data.conversation);
        if (data.message) {
          // The reply comes after the shopper's message: nothing before it is still pending.
          pending = [];
        }
        if (data.reply || (data.products && data.products.length)) {
          renderMessage({
            id: data.message,
            sender: "assistant",
            text: data.reply,
            products: data.products,
            actions: data.actions,
            help: data.help,
          });
        }
        setStatus(data.status || (data.handoff ? "open" : "bot"));
        return data;
      })
      .catch(function () {
        setBusy(false);
        showError(t("error"));
        setStatus(status);
        return null;
      });
  }

  function handoff() {
    if (busy) return;
    if (!conversation) {
      // No conversation yet: the request itself starts one and asks for a person.
      send(t("person-text")).then(function (data) {
        if (data && !data.handoff && data.conversation) askForPerson();
      });
      return;
    }
    askForPerson();
  }

  function askForPerson() {
    setBusy(true);
    request("POST", "conversations/" + encodeURIComponent(conversation) + "/handoff/", {})
      .then(function (result) {
        setBusy(false);
        if (!result.ok) {
          if (result.status === 404) {
            forgetConversation();
            handoff();
            return;
          }
          showError(result.status === 429 ? t("busy") : t("error"));
          setStatus(status);
          return;
        }
        // The shop's notice ("passed to the shop") arrives with the next poll.
        setStatus(result.data.status || "open");
        poll();
      })
      .catch(function () {
        setBusy(false);
        showError(t("error"));
      });
  }

  function loadHistory() {
    if (historyLoaded || !conversation) return Promise.resolve();
    historyLoaded = true;
    return request("GET", "conversations/" + encodeURIComponent(conversation) + "/")
      .then(function (result) {
        if (!result.ok) {
          // Not this session's any more (signed out, expired): start afresh.
          if (result.status === 404 || result.status === 403) forgetConversation();
          else showError(t("history-error"));
          return;
        }
        var messages = result.data.messages || [];
        var lastAssistant = null;
        messages.forEach(function (message) {
          if (message.sender === "assistant") lastAssistant = message.id;
        });
        messages.forEach(function (message) {
          // Only the latest reply's proposed actions can still be confirmed.
          message.current = message.id === lastAssistant;
          renderMessage(message);
        });
        setStatus(result.data.status || "bot");
      })
      .catch(function () {
        showError(t("history-error"));
      });
  }

  function poll() {
    if (pollTimer !== null) {
      window.clearTimeout(pollTimer);
      pollTimer = null;
    }
    if (polling || !conversation || panel.hidden || !HUMAN_STATUSES[status] || document.hidden) {
      return;
    }
    polling = true;
    request("GET", "conversations/" + encodeURIComponent(conversation) + "/messages/?after=" + lastId)
      .then(function (result) {
        polling = false;
        if (result.ok) {
          (result.data.messages || []).forEach(renderMessage);
          setStatus(result.data.status || status);
        } else if (result.status === 404 || result.status === 403) {
          forgetConversation();
          setStatus("");
        } else {
          schedulePoll();
        }
      })
      .catch(function () {
        polling = false;
        schedulePoll();
      });
  }

  function schedulePoll() {
    if (pollTimer !== null) {
      window.clearTimeout(pollTimer);
      pollTimer = null;
    }
    if (conversation && !panel.hidden && HUMAN_STATUSES[status] && !document.hidden) {
      pollTimer = window.setTimeout(poll, POLL_MS);
    }
  }

  // --- Opening and closing --------------------------------------------------------------------
  function open(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("assistant--open");
    if (moveFocus !== false) input.focus();
    loadHistory().then(function () {
      setStatus(status);
      scrollToEnd();
    });
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("assistant--open");
    storageSet(STORE_OPEN, "");
    schedulePoll();
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open(true);
    else close();
  });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });
  personButton.addEventListener("click", handoff);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    send(text).then(function () {
      input.focus();
    });
  });
  document.addEventListener("visibilitychange", schedulePoll);

  root.hidden = false;
  // A shopper waiting for a person finds the chat still open on the next page (without the
  // focus jumping into it).
  if (conversation && storageGet(STORE_OPEN) === "1") open(false);
})();
