// GENERATED from embed.js by `python -m embed.bundle`: edit embed.js, not this file.
// Plain-script build of the Blanche embed SDK: sets window.Blanche.
(function () {
  "use strict";
  // Blanche embed SDK: mounts the Blanche editor in an iframe and relays its
  // events. No dependencies. The plain-script build (embed.global.js, which sets
  // window.Blanche) is generated from this file by embed/bundle.py.
  // Protocol: embed/PROTOCOL.md. Types: embed/embed.d.ts.

  const PROTOCOL_VERSION = 1;

  const EVENT_TYPES = Object.freeze([
    "ready",
    "resize",
    "document.created",
    "document.saved",
    "document.finalized",
    "contact.created",
    "validation.changed",
    "session.expired",
    "error",
  ]);

  function fail(message) {
    throw new TypeError("Blanche.mount: " + message);
  }

  function checkType(type) {
    if (EVENT_TYPES.indexOf(type) < 0) throw new TypeError("Blanche: unknown event type " + type);
  }

  // A listener that throws must not stop the others, nor be swallowed.
  function safely(fn, arg, event) {
    try {
      fn(arg, event);
    } catch (error) {
      setTimeout(function () {
        throw error;
      });
    }
  }

  function mount(element, options) {
    if (!element || element.nodeType !== 1) fail("element must be a DOM element");
    options = options || {};
    let url;
    try {
      url = new URL(options.url, document.baseURI);
    } catch (error) {
      fail("url is not a valid URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") fail("url must be http(s)");
    const origin = url.origin;
    const minHeight = Math.max(0, Number(options.minHeight) || 0);
    const onEvent = typeof options.onEvent === "function" ? options.onEvent : null;
    const listeners = new Map();
    let mounted = true;

    const iframe = document.createElement("iframe");
    iframe.title = options.title || "Editor";
    iframe.setAttribute("referrerpolicy", "no-referrer");
    iframe.style.cssText = "display:block;width:100%;border:0;height:" + minHeight + "px";
    iframe.src = url.href;

    function onMessage(message) {
      if (message.origin !== origin || message.source !== iframe.contentWindow) return;
      const data = message.data;
      if (!data || typeof data !== "object") return;
      if (data.source !== "blanche" || data.version !== PROTOCOL_VERSION) return;
      if (EVENT_TYPES.indexOf(data.type) < 0) return;
      const payload = data.payload && typeof data.payload === "object" ? data.payload : {};
      if (data.type === "resize") {
        const height = Number(payload.height);
        if (!isFinite(height) || height < 0) return;
        iframe.style.height = Math.max(minHeight, Math.ceil(height)) + "px";
      }
      const event = Object.freeze({ type: data.type, payload: payload });
      if (onEvent) safely(onEvent, event);
      const set = listeners.get(event.type);
      if (set) Array.from(set).forEach(function (fn) { safely(fn, payload, event); });
    }

    function off(type, fn) {
      const set = listeners.get(type);
      if (set) set.delete(fn);
    }

    window.addEventListener("message", onMessage);
    element.appendChild(iframe);

    return Object.freeze({
      iframe: iframe,
      origin: origin,
      on: function (type, fn) {
        checkType(type);
        if (typeof fn !== "function") throw new TypeError("Blanche: listener must be a function");
        if (mounted) {
          if (!listeners.has(type)) listeners.set(type, new Set());
          listeners.get(type).add(fn);
        }
        return function () { off(type, fn); };
      },
      off: off,
      unmount: function () {
        if (!mounted) return;
        mounted = false;
        window.removeEventListener("message", onMessage);
        listeners.clear();
        iframe.remove();
      },
    });
  }

  const Blanche = Object.freeze({
    mount: mount,
    PROTOCOL_VERSION: PROTOCOL_VERSION,
    EVENT_TYPES: EVENT_TYPES,
  });

  window.Blanche = Blanche;
})();
