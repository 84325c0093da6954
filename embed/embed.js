// Blanche embed SDK: mounts the Blanche editor in an iframe and relays its
// events. No dependencies. The plain-script build (embed.global.js, which sets
// window.Blanche) is generated from this file by embed/bundle.py.
// Protocol: embed/PROTOCOL.md. Types: embed/embed.d.ts.

const PROTOCOL_VERSION = 1;
const HOST_SOURCE = "blanche-host";

const EVENT_TYPES = Object.freeze([
  "ready",
  "resize",
  "document.created",
  "document.saved",
  "document.finalized",
  "document.deleted",
  "document.sent",
  "payment.recorded",
  "document.lifecycle",
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
    if (data.type === "ready") sendViewport(true);
    else if (data.type === "resize") scheduleViewport();
    const event = Object.freeze({ type: data.type, payload: payload });
    if (onEvent) safely(onEvent, event);
    const set = listeners.get(event.type);
    if (set) Array.from(set).forEach(function (fn) { safely(fn, payload, event); });
  }

  function off(type, fn) {
    const set = listeners.get(type);
    if (set) set.delete(fn);
  }

  // Which band of the frame the page's window shows, in the frame's CSS pixels: the
  // editor opens its dialogs there (PROTOCOL.md, "Messages to the editor"). Sent on
  // scroll (of the page or any scrolling ancestor), resize, visibility changes, and
  // when the editor is ready or changes height; at most once per animation frame.
  let scheduled = 0;
  let lastBand = "";
  function sendViewport(force) {
    scheduled = 0;
    if (!mounted || !iframe.contentWindow) return;
    const rect = iframe.getBoundingClientRect();
    const viewportHeight = window.innerHeight || document.documentElement.clientHeight;
    const top = Math.max(0, Math.round(-rect.top));
    const bottom = Math.max(top, Math.round(Math.min(rect.height, viewportHeight - rect.top)));
    const band = top + ":" + bottom;
    if (band === lastBand && !force) return;
    lastBand = band;
    iframe.contentWindow.postMessage(
      {
        source: HOST_SOURCE,
        version: PROTOCOL_VERSION,
        type: "viewport",
        payload: { top: top, bottom: bottom, viewport_height: viewportHeight },
      },
      origin,
    );
  }
  function scheduleViewport() {
    if (!scheduled) scheduled = requestAnimationFrame(function () { sendViewport(false); });
  }
  const thresholds = [];
  for (let i = 0; i <= 20; i++) thresholds.push(i / 20);
  const intersection =
    typeof IntersectionObserver === "function"
      ? new IntersectionObserver(scheduleViewport, { threshold: thresholds })
      : null;

  window.addEventListener("message", onMessage);
  window.addEventListener("scroll", scheduleViewport, { capture: true, passive: true });
  window.addEventListener("resize", scheduleViewport, { passive: true });
  iframe.addEventListener("load", function () { sendViewport(true); });
  element.appendChild(iframe);
  if (intersection) intersection.observe(iframe);

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
      window.removeEventListener("scroll", scheduleViewport, { capture: true });
      window.removeEventListener("resize", scheduleViewport);
      if (intersection) intersection.disconnect();
      if (scheduled) cancelAnimationFrame(scheduled);
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

export { mount, PROTOCOL_VERSION, EVENT_TYPES };
export default Blanche;
