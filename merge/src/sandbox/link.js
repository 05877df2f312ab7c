/* Merge Link (sandbox): the browser contract of https://cdn.merge.dev/initialize.js
 * (window.MergeLink.initialize / openLink / update) backed by the local Merge sandbox.
 * Plain DOM, no external assets. Endpoints are resolved relative to this script's own URL,
 * so the script works wherever the sandbox's link routes are mounted. */
(function () {
  "use strict";

  var script = document.currentScript ||
    document.querySelector('script[src*="merge-link/initialize.js"]');
  var base = new URL(".", script && script.src ? script.src : window.location.origin + "/merge-link/").href;
  var apiBase = new URL("api/", base).href;

  var config = {};
  var overlay = null;
  var previousFocus = null;

  function merge(target, source) {
    if (source) {
      Object.keys(source).forEach(function (k) { target[k] = source[k]; });
    }
    return target;
  }

  function call(name) {
    var fn = config[name];
    if (typeof fn === "function") {
      try {
        fn.apply(null, Array.prototype.slice.call(arguments, 1));
      } catch (e) {
        if (window.console) { window.console.error("MergeLink " + name + " callback failed", e); }
      }
    }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "style") { node.style.cssText = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    if (text) { node.textContent = text; }
    return node;
  }

  function close() {
    if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    overlay = null;
    document.removeEventListener("keydown", onKey, true);
    if (previousFocus && typeof previousFocus.focus === "function") { previousFocus.focus(); }
  }

  function exit() {
    close();
    call("onExit");
  }

  function onKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      exit();
    }
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(readJSON);
  }

  function readJSON(resp) {
    return resp.json().catch(function () { return {}; }).then(function (data) {
      if (!resp.ok) {
        throw new Error((data && data.detail) || ("The sandbox answered HTTP " + resp.status + "."));
      }
      return data;
    });
  }

  function open() {
    if (overlay) { return; }
    previousFocus = document.activeElement;
    overlay = el("div", {
      "data-merge-link-sandbox": "",
      style: "position:fixed;inset:0;z-index:2147483647;background:rgba(15,23,42,.55);" +
        "display:flex;align-items:center;justify-content:center;font-family:system-ui,sans-serif;"
    });
    var dialog = el("div", {
      role: "dialog",
      "aria-modal": "true",
      "aria-label": "Merge Link (sandbox)",
      style: "background:#fff;color:#0f172a;border-radius:12px;padding:24px;width:min(420px,92vw);" +
        "box-shadow:0 20px 50px rgba(0,0,0,.3);"
    });
    var title = el("h2", { style: "margin:0 0 4px;font-size:20px;" }, "Connect your ATS");
    var note = el("p", { style: "margin:0 0 16px;color:#475569;font-size:14px;" },
      "Merge Link sandbox: no real ATS is contacted.");
    var status = el("p", { role: "status", style: "margin:0 0 12px;font-size:14px;" }, "Loading…");
    var error = el("p", { role: "alert", style: "margin:0 0 12px;color:#b91c1c;font-size:14px;" });
    var list = el("div", { style: "display:grid;gap:8px;margin-bottom:16px;" });
    var closeButton = el("button", {
      type: "button",
      style: "padding:8px 14px;border:1px solid #cbd5e1;border-radius:8px;background:#fff;cursor:pointer;"
    }, "Close");
    closeButton.addEventListener("click", exit);
    dialog.appendChild(title);
    dialog.appendChild(note);
    dialog.appendChild(status);
    dialog.appendChild(error);
    dialog.appendChild(list);
    dialog.appendChild(closeButton);
    overlay.appendChild(dialog);
    document.body.appendChild(overlay);
    document.addEventListener("keydown", onKey, true);
    closeButton.focus();

    function fail(message) {
      status.textContent = "";
      error.textContent = message;
    }

    function choose(integration, buttons) {
      buttons.forEach(function (b) { b.disabled = true; });
      error.textContent = "";
      status.textContent = "Connecting " + integration.name + "…";
      postJSON(apiBase + "complete", { link_token: config.linkToken, integration: integration.slug })
        .then(function (data) {
          close();
          call("onSuccess", data.public_token, {});
        })
        .catch(function (e) {
          fail(e.message);
          buttons.forEach(function (b) { b.disabled = false; });
        });
    }

    if (!config.linkToken) {
      fail("No link token: call MergeLink.initialize({linkToken, onSuccess}) first.");
      return;
    }
    fetch(apiBase + "session?link_token=" + encodeURIComponent(config.linkToken))
      .then(readJSON)
      .then(function (data) {
        status.textContent = "Choose your applicant tracking system for " + data.organization + ".";
        var buttons = [];
        data.integrations.forEach(function (integration) {
          var button = el("button", {
            type: "button",
            "data-integration": integration.slug,
            style: "padding:10px 14px;border-radius:8px;border:1px solid #cbd5e1;background:#f8fafc;" +
              "text-align:left;font-size:15px;cursor:pointer;border-left:6px solid " + integration.color + ";"
          }, integration.name);
          button.addEventListener("click", function () { choose(integration, buttons); });
          buttons.push(button);
          list.appendChild(button);
        });
        if (buttons.length) { buttons[0].focus(); }
      })
      .catch(function (e) { fail(e.message); });
  }

  window.MergeLink = {
    /** Stores the configuration ({linkToken, onSuccess, onExit?, onReady?}) and reports ready. */
    initialize: function (cfg) {
      config = merge({}, cfg);
      setTimeout(function () { call("onReady"); }, 0);
    },
    /** Opens the modal; a config passed here is merged over the initialized one. */
    openLink: function (cfg) {
      merge(config, cfg);
      open();
    },
    /** Replaces parts of the configuration (e.g. a new linkToken). */
    update: function (cfg) {
      merge(config, cfg);
    }
  };
})();
