/* Blanche editor page: one WebSocket, server-rendered fragments, no build step.
   Protocol: docs/editor-protocol.md. Every edit becomes a numbered patch; patches are
   kept (memory + sessionStorage) until the server says they are saved, and re-sent
   after a reconnect or a reload; the server applies each number once. */
(function () {
  "use strict";

  var app = document.getElementById("bl-app");
  var root = document.getElementById("bl-root");
  var announcer = document.getElementById("bl-announce");
  var framed = window.parent !== window;
  var pageParent = app.getAttribute("data-parent-origin") || "";
  var target = pageParent || (framed ? location.origin : "");
  var lang = /^en/i.test(navigator.language || "") ? "en" : "fr";
  var texts = {};

  // --- storage (per tab; may be unavailable in some iframes) ---------------------------
  function load(key) {
    try { return sessionStorage.getItem("blanche." + key); } catch (e) { return null; }
  }
  function save(key, value) {
    try {
      if (value === null) sessionStorage.removeItem("blanche." + key);
      else sessionStorage.setItem("blanche." + key, value);
    } catch (e) { /* memory only */ }
  }

  // The token comes in the fragment; it is removed from the address bar at once and
  // kept for this tab only, so that a reload finds the draft again.
  var token = null;
  var match = /[#&]t=([^&]+)/.exec(location.hash);
  if (match) {
    token = decodeURIComponent(match[1]);
    history.replaceState(null, "", location.pathname + location.search);
    save("token", token);
  } else {
    token = load("token");
  }

  // A tab keeps its id across reloads (marked on pagehide) but a duplicated tab,
  // which copies sessionStorage while the original lives, gets a new one.
  var tab = load("tab");
  if (!tab || load("tab-closing") !== tab) tab = randomId();
  save("tab", tab);
  save("tab-closing", null);

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- patches -------------------------------------------------------------------------
  var pending = [];      // sent or not, not yet saved by the server
  var lastSeq = 0;       // the highest number given
  var ackedSeq = 0;
  var savedSeq = 0;
  var local = {};        // path -> {value, seq}: what this tab last typed
  var timers = {};       // path -> [timer, element]
  var stored = parse(load("pending"));
  if (stored && stored.token === token && Array.isArray(stored.patches)) {
    pending = stored.patches;
    lastSeq = stored.last || 0;
  }

  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }
  function persist() {
    save("pending", JSON.stringify({ token: token, patches: pending, last: lastSeq }));
  }

  function sendPatch(patch) {
    patch.type = "patch";
    patch.seq = ++lastSeq;
    if (patch.op === "set") local[patch.path] = { value: patch.value, seq: patch.seq };
    pending.push(patch);
    persist();
    transmit(patch);
    setConnection("saving");
    var official = root.querySelector("[data-fragment=official]");
    if (official) official.classList.add("bl-stale");
  }

  function controlValue(el) {
    if (el.type === "checkbox") return el.checked ? el.getAttribute("data-on") : null;
    return el.value;
  }

  // A payment term's kind says which of days and date it has: the other is cleared (a
  // term in days gets 30 when none is typed), then the kind is set.
  function termKind(kind) {
    var days = root.querySelector('[data-path="payment_term.days"]');
    var date = root.querySelector('[data-path="payment_term.date"]');
    var counts = kind === "days" || kind === "days_end_of_month";
    if (days) {
      if (!counts) days.value = "";
      else if (!days.value.trim()) days.value = "30";
      sendPatch({ op: "set", path: "payment_term.days", value: counts ? days.value : null });
    }
    if (date && kind !== "fixed_date") {
      date.value = "";
      sendPatch({ op: "set", path: "payment_term.date", value: null });
    }
    sendPatch({ op: "set", path: "payment_term.kind", value: kind || null });
  }

  function edit(el) {
    var path = el.getAttribute("data-path");
    var value = controlValue(el);
    if (path === "payment_term.kind") { termKind(value); return; }
    var clearPath = el.getAttribute("data-clear-path");
    if (clearPath && value === "") {
      sendPatch({ op: "set", path: clearPath, value: null });
      return;
    }
    sendPatch({ op: "set", path: path, value: value });
    var withPath = el.getAttribute("data-with-path");
    if (withPath && value !== "") sendPatch({ op: "set", path: withPath, value: el.getAttribute("data-with-value") });
  }

  function schedule(el, delay) {
    var path = el.getAttribute("data-path");
    if (timers[path]) clearTimeout(timers[path][0]);
    timers[path] = [setTimeout(function () { delete timers[path]; edit(el); }, delay), el];
  }

  function flush() {
    Object.keys(timers).forEach(function (path) {
      var entry = timers[path];
      clearTimeout(entry[0]);
      delete timers[path];
      edit(entry[1]);
    });
  }

  // --- the socket ----------------------------------------------------------------------
  var ws = null;
  var open = false;
  var attempts = 0;
  var stopped = false;
  var hasForm = false;
  var lastHeard = 0;
  var requests = {};
  var nextRequest = 1;
  var readyPosted = false;
  var helloLast = 0;     // the last patch the hello carried
  var helloEnd = 0;      // the last patch given when the hello went
  var HELLO_PENDING = 1000;  // a hello carries at most this many (the server's limit)

  function transmit(message) {
    if (open) ws.send(JSON.stringify(message));
  }

  function connect() {
    if (stopped || (ws && ws.readyState < 2)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + app.getAttribute("data-ws"));
    ws.onopen = function () {
      lastHeard = Date.now();
      flush();  // while still closed: edits go to `pending`, which the hello carries
      var carried = pending.slice(0, HELLO_PENDING);
      helloLast = carried.length ? carried[carried.length - 1].seq : lastSeq;
      helloEnd = lastSeq;
      ws.send(JSON.stringify({
        type: "hello", token: token, tab: tab, parent: pageParent || null,
        last_seq: lastSeq, has_form: hasForm, pending: carried
      }));
      open = true;
    };
    ws.onmessage = function (event) {
      lastHeard = Date.now();
      var message = parse(event.data);
      if (message) receive(message);
    };
    ws.onclose = function (event) {
      open = false;
      Object.keys(requests).forEach(function (id) { requests[id]({ ok: false, message: "" }); });
      requests = {};
      if ([4400, 4401, 4403, 4409, 4440].indexOf(event.code) >= 0) stopped = true;
      if (stopped) return;
      setConnection("offline");
      var delay = Math.min(10000, 300 * Math.pow(2, attempts++)) * (0.75 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  setInterval(function () {
    if (!open) return;
    if (Date.now() - lastHeard > 25000) ws.close();
    else transmit({ type: "ping" });
  }, 10000);
  window.addEventListener("online", function () { attempts = 0; connect(); });
  window.addEventListener("pagehide", function () {
    flush();
    persist();
    save("tab-closing", tab);
  });

  function request(type, fields) {
    return new Promise(function (resolve) {
      if (!open) { resolve({ ok: false, message: texts.connection_offline || "" }); return; }
      var id = nextRequest++;
      requests[id] = resolve;
      fields.type = type;
      fields.id = id;
      transmit(fields);
    });
  }

  // --- messages from the server --------------------------------------------------------
  function receive(m) {
    (m.events || []).forEach(function (e) { post(e.type, e.payload); });
    switch (m.type) {
      case "welcome": welcome(m); break;
      case "ack": case "remote": update(m); break;
      case "nack":
        pending.forEach(function (p) { if (p.seq >= m.expected) transmit(p); });
        break;
      case "saved": saved(m.seq, new Date()); break;
      case "preview": showPreview(m.html); break;
      case "official": fragment("official", m.html); break;
      case "result":
        if (requests[m.id]) { requests[m.id](m); delete requests[m.id]; }
        break;
      case "read_only": readOnly(texts[m.reason] || m.reason); break;
      case "superseded": stopped = true; break;
      case "session.expired":
        stopped = true;
        fatal(m.message || text("expired"));
        post("session.expired", { reason: "expired" });
        break;
      case "error":
        post("error", { code: m.code, message: m.message || "" });
        if (m.code === "invalid_session") { stopped = true; fatal(text("no-token")); }
        break;
    }
  }

  function welcome(m) {
    attempts = 0;
    lang = m.locale;
    texts = m.texts;
    document.documentElement.lang = lang;
    var theme = document.getElementById("bl-theme");
    var wanted = m.theme_css_url || app.getAttribute("data-default-theme");
    if (theme.getAttribute("href") !== wanted) theme.setAttribute("href", wanted);
    if (m.html) {
      var focused = focusedPath();
      root.innerHTML = m.html;
      root.removeAttribute("aria-busy");
      hasForm = true;
      keepLocalValues(root, m.seq);
      touchFilled(root);
      if (focused) focusPath(focused);
    }
    // Patches in the hello the server did not apply (a gap, or this tab only watches)
    // never will be; those sent after the hello are on their way.
    var lost = pending.some(function (p) { return p.seq > m.seq && p.seq <= helloLast; });
    pending = pending.filter(function (p) { return p.seq > m.saved_seq && (!lost || p.seq <= m.seq); });
    if (lost || m.seq > lastSeq) lastSeq = m.seq;
    // Those the hello could not carry go now, in order, as patches.
    if (!lost) pending.forEach(function (p) { if (p.seq > helloLast && p.seq <= helloEnd) transmit(p); });
    helloEnd = helloLast;
    ackedSeq = m.seq;
    documentStored = !!m.document_id;
    documentStatus = m.status || "draft";
    documentId = m.document_id || null;
    followLifecycle();
    showRouting();
    saved(m.saved_seq);
    apply(m);
    fragment("official", m.official.html);
    if (m.preview) showPreview(m.preview);
    readOnly(m.read_only_message);
    if (!readyPosted) {
      readyPosted = true;
      post("ready", { document_id: m.document_id, kind: m.kind, status: m.status, locale: lang });
      observeSize();
    }
  }

  function update(m) {
    if (m.outcome === "duplicate") return;
    if (m.seq > ackedSeq) ackedSeq = m.seq;
    Object.keys(m.values || {}).forEach(function (path) {
      var el = control(path);
      if (!el || el.readOnly) return;  // a computed value follows its fragment
      if (el.type === "checkbox") el.checked = m.values[path] === el.getAttribute("data-on");
      else el.value = m.values[path] === null ? "" : m.values[path];
    });
    if (m.type === "remote" && m.seq > lastSeq) lastSeq = m.seq;
    apply(m);
    // Without `official`, what the tab shows of the official check is still current.
    if (m.official) fragment("official", m.official.html);
    else unstale("official");
    if (m.error) say(m.error);
  }

  function apply(m) {
    Object.keys(m.fragments || {}).forEach(function (name) { fragment(name, m.fragments[name]); });
    Object.keys(m.blocks || {}).forEach(function (name) { swapBlock(name, m.blocks[name], m.seq); });
    (m.line_amounts || []).forEach(function (amount, index) {
      var out = root.querySelector('[data-line-amount="' + index + '"]');
      if (out) out.textContent = amount;
    });
    if (m.findings) showFindings(m.findings);
  }

  // What the server holds, said as it is: "Brouillon enregistré à 10:42" after an
  // autosave, "Enregistré" after the save button, until the next edit is autosaved.
  var savedAt = null;
  var savedByButton = false;
  var documentStored = false;
  var documentStatus = "draft";
  var documentId = null;

  function saved(seq, when) {
    // An autosave of what the button saved already changes nothing.
    if (when && (seq > savedSeq || !savedByButton)) {
      savedAt = when;
      savedByButton = false;
    }
    if (when) documentStored = true;
    if (seq > savedSeq) savedSeq = seq;
    pending = pending.filter(function (p) { return p.seq > savedSeq; });
    persist();
    setConnection(pending.length ? "saving" : "online");
  }

  function fragment(name, html) {
    var el = root.querySelector('[data-fragment="' + name + '"]');
    if (el && el.tagName === "TEXTAREA") { el.value = html; fitComputed(el); }  // a text fragment (a computed value)
    else if (el) { el.innerHTML = html; el.classList.remove("bl-stale"); }
    if (name === "findings") markDue();
  }

  // A computed value's text area is as tall as its text: CSS says so where browsers
  // know `field-sizing`; elsewhere its height follows its text here.
  var sizedByCss = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function fitComputed(el) {
    if (sizedByCss || !el.offsetParent) return;
    el.style.height = "auto";
    el.style.height = el.scrollHeight + el.offsetHeight - el.clientHeight + "px";
  }
  function fitAllComputed() {
    root.querySelectorAll(".bl-computed textarea").forEach(fitComputed);
  }
  window.addEventListener("resize", fitAllComputed);

  function unstale(name) {
    var el = root.querySelector('[data-fragment="' + name + '"]');
    if (el) el.classList.remove("bl-stale");
  }

  var focusAfter = null;
  function swapBlock(name, html, seq) {
    var old = root.querySelector('[data-block="' + name + '"]');
    if (!old) return;
    var focused = old.contains(document.activeElement) ? focusedPath() : null;
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    old.replaceWith(fresh);
    keepLocalValues(fresh, seq);
    var path = focusAfter || focused;
    focusAfter = null;
    if (path) focusPath(path);
    if (name === "header") setConnection(connectionState);
    if (name === "customer") showRouting();
    if (name === "details") fitAllComputed();
  }

  // What this tab typed and the server has not reflected yet wins over fresh HTML.
  function keepLocalValues(scope, seq) {
    scope.querySelectorAll("[data-path]").forEach(function (el) {
      var path = el.getAttribute("data-path");
      var mine = local[path];
      if (timers[path]) timers[path][1] = el;
      if (mine && mine.seq > seq && el.type !== "checkbox") el.value = mine.value === null ? "" : mine.value;
    });
  }

  // --- findings ------------------------------------------------------------------------
  // A finding is shown at its field (aria-invalid, message) once the user has left that
  // field, or everywhere once a save or finalization was attempted; before, the list
  // says what is left to complete without calling it an error.
  var marked = [];
  var lastErrorCount = -1;
  var lastDueCount = -1;
  var lastFindings = [];
  var touched = {};
  var attempted = false;

  function isDue(fields) {
    if (attempted) return true;
    return fields.some(function (f) {
      return Object.keys(touched).some(function (p) {
        return p === f || p.indexOf(f + ".") === 0 || p.indexOf(f + "[") === 0;
      });
    });
  }

  function markDue() {
    root.classList.toggle("bl-attempted", attempted);
    root.querySelectorAll("[data-fragment=findings] .bl-finding").forEach(function (li) {
      var fields = (li.getAttribute("data-fields") || "").split(" ").filter(Boolean);
      li.classList.toggle("bl-due", isDue(fields));
    });
  }

  function touch(path) {
    if (!path || touched[path]) return;
    touched[path] = true;
    showFindings(lastFindings);
  }

  function touchFilled(scope) {
    scope.querySelectorAll("[data-path]").forEach(function (el) {
      if (el.type !== "checkbox" && el.value !== "") touched[el.getAttribute("data-path")] = true;
    });
  }

  function attempt() {
    if (attempted) return;
    attempted = true;
    showFindings(lastFindings);
  }

  function control(path) {
    return root.querySelector('[data-path="' + CSS.escape(path) + '"]');
  }
  function controlFor(path) {
    var exact = control(path);
    if (exact) return exact;
    var all = root.querySelectorAll("[data-path]");
    for (var i = 0; i < all.length; i++) {
      var p = all[i].getAttribute("data-path");
      if (p.indexOf(path + ".") === 0 || p.indexOf(path + "[") === 0) return all[i];
    }
    return null;
  }

  function showFindings(findings) {
    marked.forEach(function (entry) {
      var el = entry[0];
      el.removeAttribute("aria-invalid");
      el.setAttribute("aria-describedby", entry[1]);
      if (!entry[1]) el.removeAttribute("aria-describedby");
      var msg = document.getElementById(entry[2]);
      if (msg) msg.remove();
    });
    marked = [];
    lastFindings = findings;
    var errors = 0;
    var dueErrors = 0;
    var byControl = new Map();
    findings.forEach(function (f) {
      if (f.severity === "error") errors++;
      if (!isDue(f.fields)) return;
      if (f.severity === "error") dueErrors++;
      f.fields.forEach(function (path) {
        var el = controlFor(path);
        if (!el) return;
        if (!byControl.has(el)) byControl.set(el, []);
        byControl.get(el).push(f);
      });
    });
    byControl.forEach(function (list, el) {
      var id = el.id + "-msg";
      var msg = document.createElement("p");
      msg.id = id;
      var error = list.some(function (f) { return f.severity === "error"; });
      msg.className = "bl-msg " + (error ? "bl-msg-error" : "bl-msg-warning");
      msg.textContent = list.map(function (f) { return f.message; }).join(" ");
      (el.closest(".bl-field") || el.parentNode).appendChild(msg);
      var before = el.getAttribute("aria-describedby") || "";
      marked.push([el, before, id]);
      el.setAttribute("aria-describedby", (before + " " + id).trim());
      if (error) el.setAttribute("aria-invalid", "true");
    });
    // Announced: the errors the user is shown, when their count changes.
    if (dueErrors !== lastDueCount) {
      if (lastDueCount >= 0) say(dueErrors === 1 ? texts.errors_one : dueErrors ? texts.errors_count.replace("{n}", dueErrors) : texts.no_problem);
      lastDueCount = dueErrors;
    }
    lastErrorCount = errors;
    markDue();
  }

  // The first field marked invalid, in the page's order (what the user reads first).
  function firstDueControl() {
    var all = root.querySelectorAll("[data-path][aria-invalid=true]");
    for (var i = 0; i < all.length; i++) if (!all[i].disabled) return all[i];
    return null;
  }

  function say(message) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = message; }, 30);
  }

  function focusedPath() {
    var el = document.activeElement;
    return el && el.getAttribute ? el.getAttribute("data-path") : null;
  }

  function focusPath(path) {
    if (path.charAt(0) === "#") {
      var target = document.getElementById(path.slice(1));
      if (target) target.focus();
      return !!target;
    }
    var el = controlFor(path) || (/^lines/.test(path) ? root.querySelector("[data-add-line]") : null);
    if (!el) return false;
    var details = el.closest("details");
    if (details) details.open = true;
    el.focus();
    return true;
  }

  // --- notices, connection, read-only ------------------------------------------------
  var connectionState = "online";
  function savedWords() {
    if (documentStatus !== "draft") return "";
    if (savedByButton) return text("saved");
    if (savedAt) {
      var time = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(savedAt);
      return text("draft-saved-at").replace("{time}", time);
    }
    return documentStored ? text("draft-saved") : text("not-saved");
  }
  function setConnection(state) {
    connectionState = state;
    var el = document.getElementById("bl-connection");
    var words = { online: savedWords(), saving: texts.connection_saving, offline: texts.connection_offline || text("offline") };
    if (el) { el.textContent = words[state] || ""; el.className = "bl-connection bl-" + state; }
  }

  function notice(message, kind) {
    var el = document.getElementById("bl-notice");
    if (!el) return;
    el.textContent = message || "";
    el.hidden = !message;
    el.classList.toggle("bl-notice-error", kind === "error");
    el.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  function readOnly(message) {
    var fields = document.getElementById("bl-fields");
    if (message) {
      if (fields) fields.disabled = true;
      notice(message);
    }
  }

  function text(key) {
    var holder = document.getElementById("bl-texts");
    return holder ? holder.getAttribute("data-" + lang + "-" + key) || "" : "";
  }

  function fatal(message) {
    root.removeAttribute("aria-busy");
    var box = document.createElement("div");
    box.className = "bl-fatal";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    root.replaceChildren(box);
    observeSize();
  }

  // --- the parent page -----------------------------------------------------------------
  // Where the chosen customer receives its invoices, from the PA's directory.
  var routings = {};
  function showRouting() {
    var line = root.querySelector(".bl-routing[data-siren]");
    if (!line) return;
    var siren = line.getAttribute("data-siren");
    var fill = function (found) {
      var text = found && found.known ? (lang === "fr" ? found.text_fr : found.text_en) : "";
      if (line.isConnected) { line.textContent = text; line.hidden = !text; }
    };
    if (routings[siren]) { fill(routings[siren]); return; }
    fetch("/api/v1/editor/routing?siren=" + encodeURIComponent(siren), {
      headers: { Authorization: "Editor " + token }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (found) {
      if (found) routings[siren] = found;
      fill(found);
    }, function () { fill(null); });
  }

  // The document's lifecycle at the company's plateforme agréée: asked every few
  // seconds while an issued document is shown and more is expected; each new status
  // is shown in the timeline and posted to the host page as `document.lifecycle`.
  var lifecycleSeen = {};
  var lifecycleTimer = null;
  function followLifecycle() {
    if (lifecycleTimer || !documentId || documentStatus === "draft") return;
    lifecycleTimer = setTimeout(askLifecycle, 300);
  }
  function askLifecycle() {
    lifecycleTimer = null;
    var asked = documentId;
    fetch("/api/v1/editor/documents/" + asked + "/lifecycle", {
      headers: { Authorization: "Editor " + token }, cache: "no-store"
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data || asked !== documentId) return;
      showLifecycle(data);
      if (!data.final) lifecycleTimer = setTimeout(askLifecycle, 4000);
    }, function () { lifecycleTimer = setTimeout(askLifecycle, 10000); });
  }
  function showLifecycle(data) {
    var box = document.getElementById("bl-lifecycle");
    if (!box) return;
    if (!data.tracked) { box.hidden = true; return; }
    var list = box.querySelector(".bl-timeline");
    list.textContent = "";
    var fr = lang === "fr";
    if (!data.items.length) {
      var waiting = document.createElement("li");
      waiting.textContent = box.getAttribute("data-pending");
      list.appendChild(waiting);
    }
    data.items.forEach(function (item) {
      var li = document.createElement("li");
      if (item.code === "210" || item.code === "213" || item.code === "207" || item.code === "208") li.className = "bl-problem";
      // The status's name is what the user reads; its code is for a support call.
      var name = document.createElement("span");
      name.className = "bl-status-name";
      name.textContent = fr ? item.label_fr : item.label_en;
      li.appendChild(name);
      var code = document.createElement("small");
      code.className = "bl-status-code";
      code.textContent = box.getAttribute("data-code").replace("{code}", item.code);
      li.appendChild(code);
      var at = document.createElement("time");
      at.dateTime = item.at;
      at.textContent = new Date(item.at).toLocaleString(fr ? "fr-FR" : "en-GB", { dateStyle: "short", timeStyle: "short" });
      li.appendChild(at);
      if (item.reason) {
        var reason = document.createElement("span");
        reason.className = "bl-reason";
        reason.textContent = item.reason;
        li.appendChild(reason);
      }
      list.appendChild(li);
      var key = item.code + "@" + item.at;
      if (!lifecycleSeen[key]) {
        lifecycleSeen[key] = true;
        post("document.lifecycle", {
          document_id: data.document_id, code: item.code, label: item.label_fr,
          at: item.at, issuer: item.issuer, reason: item.reason || null
        });
      }
    });
    var next = box.querySelector(".bl-lifecycle-next");
    var step = fr ? data.next_step_fr : data.next_step_en;
    next.textContent = step || "";
    next.hidden = !step;
    box.hidden = false;
  }

  function post(type, payload) {
    if (!framed || !target) return;
    window.parent.postMessage({ source: "blanche", version: 1, type: type, payload: payload || {} }, target);
  }

  var observed = false;
  var lastHeight = 0;
  function observeSize() {
    if (observed || !framed || typeof ResizeObserver === "undefined") return;
    observed = true;
    new ResizeObserver(function () {
      var height = Math.ceil(app.getBoundingClientRect().height);
      if (height !== lastHeight) { lastHeight = height; post("resize", { height: height }); }
    }).observe(app);
  }

  // --- preview -------------------------------------------------------------------------
  function showPreview(html) {
    var frame = document.getElementById("bl-preview-frame");
    if (!frame) return;
    var doc = frame.contentDocument;
    if (frame.getAttribute("data-loaded") !== "1" || !doc || !doc.body) {
      frame.onload = function () { frame.setAttribute("data-loaded", "1"); fitPreview(); };
      frame.srcdoc = html;
      return;
    }
    var parsed = new DOMParser().parseFromString(html, "text/html");
    doc.documentElement.className = parsed.documentElement.className;
    doc.body.replaceWith(doc.adoptNode(parsed.body));
    fitPreview();
  }

  function fitPreview() {
    var frame = document.getElementById("bl-preview-frame");
    if (!frame || !frame.contentDocument) return;
    var box = frame.parentNode;
    if (box.classList.contains("bl-document-box")) {
      // The issued document on a narrow screen: laid out at 560px at least (its CSS
      // reflows), so that it is scaled down less than an A4 page would be.
      frame.style.width = (box.clientWidth < 794 ? Math.max(560, box.clientWidth) : 794) + "px";
    }
    var scale = Math.min(1, box.clientWidth / frame.offsetWidth);
    var height = Math.ceil(frame.contentDocument.documentElement.getBoundingClientRect().height);
    frame.style.height = height + "px";
    frame.style.transform = "scale(" + scale + ")";
    box.style.height = Math.ceil(height * scale) + "px";
  }
  window.addEventListener("resize", fitPreview);

  // --- user input ----------------------------------------------------------------------
  root.addEventListener("input", function (e) {
    var el = e.target;
    if (el.hasAttribute("data-path") && el.type !== "checkbox" && el.tagName !== "SELECT") schedule(el, 150);
    else if (el.closest("[data-search]") && el.type === "search") search(el);
  });
  root.addEventListener("change", function (e) {
    var el = e.target;
    if (!el.hasAttribute("data-path")) return;
    var path = el.getAttribute("data-path");
    if (timers[path]) { clearTimeout(timers[path][0]); delete timers[path]; }
    edit(el);
    if (/\.vat_category$/.test(path)) {
      var line = el.closest(".bl-line");
      if (line) line.className = line.className.replace(/bl-cat-\w+/, "bl-cat-" + el.value);
    }
  });

  root.addEventListener("click", function (e) {
    var el = e.target.closest("button, [role=option]");
    if (!el || el.disabled) return;
    var line = el.closest("[data-line]");
    var index = line ? +line.getAttribute("data-line") : -1;
    if (el.hasAttribute("data-action")) action(el);
    else if (el.hasAttribute("data-focus")) focusPath(el.getAttribute("data-focus"));
    else if (el.hasAttribute("data-line-op")) lineOp(el.getAttribute("data-line-op"), index, el);
    else if (el.hasAttribute("data-add-line")) {
      focusAfter = "lines[" + root.querySelectorAll(".bl-line").length + "].name";
      sendPatch({ op: "add_line" });
    } else if (el.hasAttribute("data-add-note")) addNote(el);
    else if (el.hasAttribute("data-remove-path")) sendPatch({ op: "set", path: el.getAttribute("data-remove-path"), value: null });
    else if (el.hasAttribute("data-toggle")) toggle(el);
    else if (el.hasAttribute("data-create-contact")) createContact(el);
    else if (el.hasAttribute("data-use-contact")) useContact(el.closest("fieldset"), el.getAttribute("data-use-contact"));
    else if (el.getAttribute("role") === "option") choose(el);
  });

  root.addEventListener("focusout", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-path")) touch(el.getAttribute("data-path"));
  });

  root.addEventListener("keydown", function (e) {
    var el = e.target;
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      var line = el.closest && el.closest("[data-line]");
      if (!line) return;
      e.preventDefault();
      lineOp(e.key === "ArrowUp" ? "up" : "down", +line.getAttribute("data-line"), el);
    } else if (el.getAttribute && el.getAttribute("role") === "combobox") {
      comboKey(e, el);
    }
  });

  function lineOp(op, index, el) {
    var count = root.querySelectorAll(".bl-line").length;
    if (op === "remove") {
      focusAfter = count > 1 ? "lines[" + Math.max(0, index - 1) + "].name" : null;
      sendPatch({ op: "remove_line", index: index });
      if (!focusAfter) { var add = root.querySelector("[data-add-line]"); if (add) add.focus(); }
      return;
    }
    var to = op === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= count) return;
    flush();
    var path = el.getAttribute("data-path");
    focusAfter = path ? path.replace(/^lines\[\d+\]/, "lines[" + to + "]") : null;
    if (!focusAfter) {
      focusAfter = "lines[" + to + "].name";
    }
    sendPatch({ op: "move_line", index: index, to: to });
  }

  function addNote(button) {
    var index = +button.getAttribute("data-add-note");
    button.setAttribute("data-add-note", index + 1);
    var path = "notes[" + index + "].text";
    var wrap = document.createElement("div");
    wrap.className = "bl-note";
    var field = document.createElement("div");
    field.className = "bl-field bl-wide";
    var label = document.createElement("label");
    var area = document.createElement("textarea");
    area.id = "f-notes-" + index + "-text";
    label.htmlFor = area.id;
    label.textContent = button.getAttribute("data-label");
    area.setAttribute("data-path", path);
    area.rows = 2;
    field.append(label, area);
    wrap.appendChild(field);
    root.querySelector(".bl-note-list").appendChild(wrap);
    area.focus();
  }

  function toggle(button) {
    var box = document.getElementById(button.getAttribute("data-toggle"));
    var show = box.hidden;
    box.hidden = !show;
    button.setAttribute("aria-expanded", String(show));
    if (show) { var first = box.querySelector("input:not([type=radio])"); if (first) first.focus(); }
  }

  // --- search boxes (combobox + listbox) -----------------------------------------------
  var searchTimer = null;
  var searched = {};  // input id -> the query its list shows
  function search(input, now, then) {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      searchTimer = null;
      var kind = input.closest("[data-search]").getAttribute("data-search");
      var query = input.value;
      request(kind + ".search", { query: query }).then(function (r) {
        if (!r.ok) return;
        var list = document.getElementById(input.getAttribute("aria-controls"));
        list.innerHTML = r.html;
        list.hidden = false;
        searched[input.id] = query;
        input.setAttribute("aria-expanded", "true");
        input.removeAttribute("aria-activedescendant");
        var first = list.querySelector("[role=option][data-id]");
        if (first) {  // highlighted: Enter takes it
          first.setAttribute("aria-selected", "true");
          input.setAttribute("aria-activedescendant", first.id);
        }
        if (then) then();
      });
    }, now ? 0 : 180);
  }

  function comboKey(e, input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option][data-id]"));
    var current = options.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) { search(input); return; }
      e.preventDefault();
      var next = e.key === "ArrowDown" ? Math.min(options.length - 1, current + 1) : Math.max(0, current - 1);
      options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === next)); });
      if (options[next]) {
        input.setAttribute("aria-activedescendant", options[next].id);
        options[next].scrollIntoView({ block: "nearest" });
      }
    } else if (e.key === "Enter") {
      // Enter takes the highlighted option, else the first; if the list does not show
      // what was typed yet, the search runs now and its first result is taken.
      e.preventDefault();
      if (!list.hidden && searchTimer === null && searched[input.id] === input.value) {
        if (options.length) choose(options[current >= 0 ? current : 0]);
        return;
      }
      search(input, true, function () {
        var first = list.querySelector("[role=option][data-id]");
        if (first) choose(first);
      });
    } else if (e.key === "Escape") {
      closeList(input);
    }
  }

  function closeList(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(option) {
    var id = option.getAttribute("data-id");
    if (!id) return;
    var box = option.closest("[data-search]");
    var input = box.querySelector("[role=combobox]");
    closeList(input);
    input.value = "";
    if (box.getAttribute("data-search") === "contacts") {
      sendPatch({ op: "set_customer", contact_id: +id });
      input.focus();
    } else {
      focusAfter = "lines[" + root.querySelectorAll(".bl-line").length + "].quantity";
      sendPatch({ op: "add_line", product_id: +id });
    }
  }

  function contactMessages(box, errors) {
    box.querySelectorAll(".bl-msg").forEach(function (m) { m.remove(); });
    box.querySelectorAll("[data-contact]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    var first = null;
    errors.forEach(function (x) {
      var el = box.querySelector('[data-contact="' + CSS.escape(x.field) + '"]:not([type=radio])');
      if (!el) return;
      var msg = document.createElement("p");
      msg.id = el.id + "-msg";
      msg.className = "bl-msg bl-msg-error";
      msg.textContent = x.message;
      el.parentNode.appendChild(msg);
      el.setAttribute("aria-invalid", "true");
      var hint = el.getAttribute("data-hint");
      if (hint === null && el.hasAttribute("aria-describedby")) {
        hint = el.getAttribute("aria-describedby");
        el.setAttribute("data-hint", hint);
      }
      el.setAttribute("aria-describedby", hint ? msg.id + " " + hint : msg.id);
      if (!first) first = el;
    });
    return first;
  }

  function contactKind(box) {
    var checked = box.querySelector("[data-contact=kind]:checked");
    return checked ? checked.value : "company";
  }

  // --- the seller's logo (editor/logo/upload.py): checked here, PUT to a signed link ---
  function logoMessage(panel, message, error) {
    var msg = panel.querySelector("#bl-logo-msg");
    var input = panel.querySelector("#bl-logo-file");
    msg.textContent = message || "";
    msg.className = "bl-msg" + (error ? " bl-msg-error" : "");
    if (error) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function logoDone(panel, r, shown) {
    if (!r || !r.ok) {
      logoMessage(panel, (r && r.message) || panel.getAttribute("data-logo-failed"), true);
      return;
    }
    logoMessage(panel, r.message, false);
    panel.querySelector("[data-logo-remove]").hidden = !r.has_logo;
    var thumb = panel.querySelector(".bl-logo-thumb");
    if (shown) thumb.src = shown;  // the file as read here (a data: URL)
    thumb.hidden = !r.has_logo;
  }

  function uploadLogo(input) {
    var panel = input.closest("#bl-seller-logo");
    var file = input.files && input.files[0];
    if (!panel || !file) return;
    var refusal = null;
    if (panel.getAttribute("data-types").split(",").indexOf(file.type) < 0) refusal = "data-logo-wrong-type";
    else if (file.size > +panel.getAttribute("data-max-bytes")) refusal = "data-logo-too-big";
    else if (!file.size) refusal = "data-logo-empty";
    if (refusal) { logoMessage(panel, panel.getAttribute(refusal), true); input.value = ""; return; }
    logoMessage(panel, panel.getAttribute("data-logo-sending"), false);
    var shown = null;
    var reader = new FileReader();
    reader.onload = function () { shown = reader.result; };
    reader.readAsDataURL(file);
    request("logo", { op: "link" }).then(function (r) {
      if (!r.ok) return r;
      return fetch(r.url, { method: "PUT", body: file, headers: { "Content-Type": file.type }, credentials: "omit" })
        .then(function (response) { return response.json(); })
        .then(function (answer) { return answer.ok ? request("logo", { op: "changed" }) : answer; });
    }).catch(function () { return null; }).then(function (r) {
      logoDone(panel, r, shown);
      input.value = "";
    });
  }

  root.addEventListener("change", function (e) {
    if (e.target.id === "bl-logo-file") uploadLogo(e.target);
  });
  root.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-logo-remove]");
    if (!button) return;
    var panel = button.closest("#bl-seller-logo");
    request("logo", { op: "remove" }).then(function (r) {
      logoDone(panel, r);
      if (r.ok) panel.querySelector("#bl-logo-file").focus();  // the removed button had it
    });
  });

  // A person has no SIREN, SIRET or VAT number: those fields go away.
  root.addEventListener("change", function (e) {
    if (e.target.getAttribute && e.target.getAttribute("data-contact") === "kind") {
      var box = e.target.closest("fieldset");
      var person = contactKind(box) === "person";
      box.querySelectorAll("[data-company-only]").forEach(function (f) { f.hidden = person; });
    }
  });

  function createContact(button) {
    var box = button.closest("fieldset");
    var contact = { address: {}, kind: contactKind(box) };
    if (button.getAttribute("data-create-contact") === "force") contact.force = true;
    box.querySelectorAll("[data-contact]").forEach(function (el) {
      var key = el.getAttribute("data-contact");
      if (el.type === "radio" || (el.closest("[data-company-only]") || {}).hidden) return;
      if (key.indexOf("address.") === 0) contact.address[key.slice(8)] = el.value;
      else contact[key] = el.value;
    });
    var error = box.querySelector(".bl-form-error");
    var duplicate = box.querySelector(".bl-duplicate");
    duplicate.hidden = true;
    button.disabled = true;
    request("contact.create", { contact: contact }).then(function (r) {
      button.disabled = false;
      if (!r.ok && r.code === "duplicate") {
        error.textContent = "";
        contactMessages(box, []);
        duplicate.querySelector(".bl-duplicate-text").textContent = r.message;
        duplicate.querySelector("[data-use-contact]").setAttribute("data-use-contact", r.existing.id);
        duplicate.hidden = false;
        duplicate.querySelector("[data-use-contact]").focus();
        return;
      }
      if (!r.ok) {
        error.textContent = r.message || "";
        var first = contactMessages(box, r.errors || []);
        if (first) first.focus();
        return;
      }
      useContact(box, r.contact_id);
    });
  }

  function useContact(box, id) {
    box.querySelector(".bl-form-error").textContent = "";
    box.querySelector(".bl-duplicate").hidden = true;
    contactMessages(box, []);
    box.querySelectorAll("input[data-contact]:not([type=radio])").forEach(function (el) {
      el.value = el.getAttribute("data-contact") === "address.country" ? "FR" : "";
    });
    box.hidden = true;
    var toggle = root.querySelector('[data-toggle="' + box.id + '"]');
    if (toggle) toggle.setAttribute("aria-expanded", "false");
    focusAfter = "#bl-customer-card";  // the customer now on the document
    sendPatch({ op: "set_customer", contact_id: +id });
  }

  // --- actions -------------------------------------------------------------------------
  function action(button) {
    var name = button.getAttribute("data-action");
    if (name === "save" || name === "finalize") attempt();
    if (name === "finalize") {
      flush();
      var first = lastErrorCount > 0 ? firstDueControl() : null;
      if (first) {
        notice(text(lastErrorCount === 1 ? "todo-one" : "todo-many").replace("{n}", lastErrorCount), "error");
        var details = first.closest("details");
        if (details) details.open = true;
        first.focus();
        return;
      }
      confirmFinalize(button);
      return;
    }
    if (name === "record_payment") { openPayment(button); return; }
    if (name === "credit_note") { openCredit(button); return; }
    if (name === "deposit") { openDeposit(button); return; }
    if (name === "deduct_deposits") { openDeduct(button); return; }
    if (name === "deposit_total") { openDepositTotal(button); return; }
    if (name === "send_email") { openEmail(button); return; }
    if (name === "delete") {
      window.BlancheDialogs.open(document.getElementById("bl-delete"), button, function (choice) {
        if (choice === "confirm") run("delete", button);
      });
      return;
    }
    run(name, button);
  }

  // --- issue 12's dialogs: a payment, a credit note of chosen lines ---------------------
  function dialogErrors(dialog, errors, message) {
    dialog.querySelectorAll(".bl-msg").forEach(function (m) { m.remove(); });
    dialog.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    // A field's own hint (its format) stays described beside its error.
    dialog.querySelectorAll("[data-hint]").forEach(function (el) { el.setAttribute("aria-describedby", el.getAttribute("data-hint")); });
    dialog.querySelector(".bl-form-error").textContent = message || "";
    var first = null;
    (errors || []).forEach(function (x) {
      var el = dialog.querySelector('[data-param="' + CSS.escape(x.field) + '"]');
      if (!el) return;
      var msg = document.createElement("p");
      msg.id = el.id + "-msg";
      msg.className = "bl-msg bl-msg-error";
      msg.textContent = x.message;
      el.parentNode.appendChild(msg);
      el.setAttribute("aria-invalid", "true");
      var hint = el.getAttribute("data-hint");
      if (hint === null && el.hasAttribute("aria-describedby")) {
        hint = el.getAttribute("aria-describedby");
        el.setAttribute("data-hint", hint);
      }
      el.setAttribute("aria-describedby", hint ? msg.id + " " + hint : msg.id);
      if (!first) first = el;
    });
    if (first) {  // the field says it: the general words would repeat it
      dialog.querySelector(".bl-form-error").textContent = "";
      first.focus();
    }
    if (dialog.open) window.BlancheDialogs.place();  // its size changed: keep it in view
  }

  function withOptions(button, kind, then) {
    button.disabled = true;
    request("action", { action: "options", params: { "for": kind } }).then(function (r) {
      button.disabled = false;
      if (!r.ok) { notice(r.message, "error"); return; }
      then(r);
    });
  }

  function submitDialog(dialog, name, button, params, close) {
    flush();
    request("action", { action: name, params: params }).then(function (r) {
      if (!r.ok) { dialogErrors(dialog, r.errors, r.message); return; }
      close();
      finished(name, button, r);
    });
  }

  function openPayment(button) {
    withOptions(button, "record_payment", function (o) {
      var dialog = document.getElementById("bl-payment");
      dialogErrors(dialog, [], "");
      dialog.querySelector("#bl-payment-balance").textContent = o.balance_text;
      dialog.querySelector("[data-param=amount]").value = o.balance_input;
      var date = dialog.querySelector("[data-param=paid_on]");
      date.value = o.today;
      var means = dialog.querySelector("[data-param=means_code]");
      if (o.means_code) means.value = o.means_code;
      window.BlancheDialogs.open(dialog, button, null, function (close) {
        var params = {};
        dialog.querySelectorAll("[data-param]").forEach(function (el) { params[el.getAttribute("data-param")] = el.value; });
        submitDialog(dialog, "record_payment", button, params, close);
      });
    });
  }

  function openCredit(button) {
    withOptions(button, "credit_note", function (o) {
      var dialog = document.getElementById("bl-credit");
      dialogErrors(dialog, [], "");
      var list = dialog.querySelector(".bl-credit-lines");
      var total = dialog.querySelector(".bl-credit-total");
      var says = function (key) { return list.getAttribute("data-" + key); };
      list.replaceChildren();
      total.textContent = o.total;
      o.lines.forEach(function (line) {
        var item = document.createElement("li");
        item.className = "bl-field bl-credit-line";
        var name = document.createElement("p");
        name.className = "bl-credit-name";
        name.textContent = (line.index + 1) + ". " + line.name;
        var facts = document.createElement("dl");
        facts.className = "bl-credit-facts";
        [["invoiced", line.invoiced], ["credited", line.credited], ["remaining", line.left]].forEach(function (pair) {
          var row = document.createElement("div");
          var term = document.createElement("dt");
          var value = document.createElement("dd");
          term.textContent = says(pair[0]);
          value.textContent = pair[1];
          row.append(term, value);
          facts.appendChild(row);
        });
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.id = "bl-credit-" + line.index;
        input.inputMode = "decimal";
        input.autocomplete = "off";
        input.value = line.left_input;
        input.disabled = line.left_input === "";
        input.setAttribute("data-param", "lines[" + line.index + "].quantity");
        input.setAttribute("data-index", line.index);
        input.setAttribute("aria-label", says("label").replace("{n}", line.index + 1) + " — " + line.name);
        label.htmlFor = input.id;
        label.textContent = says("to-credit");
        item.append(name, facts, label, input);
        list.appendChild(item);
      });
      var chosen = function () {
        var lines = [];
        list.querySelectorAll("input[data-index]").forEach(function (el) {
          if (el.value.trim() !== "") lines.push({ index: +el.getAttribute("data-index"), quantity: el.value });
        });
        return lines;
      };
      var timer = null;
      var asked = 0;
      var retotal = function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var mine = ++asked;
          request("action", { action: "options", params: { "for": "credit_note", lines: chosen() } }).then(function (r) {
            if (mine === asked && r.ok) total.textContent = r.total;  // only the latest answer
          });
        }, 250);
      };
      list.oninput = retotal;
      window.BlancheDialogs.open(dialog, button, function () { clearTimeout(timer); list.oninput = null; }, function (close) {
        submitDialog(dialog, "credit_note", button, { lines: chosen() }, close);
      });
    });
  }

  // --- deposits: ask one on a quote; a draft invoice deducts issued ones -----------------
  function openDeposit(button) {
    withOptions(button, "deposit", function (o) {
      var dialog = document.getElementById("bl-deposit");
      dialogErrors(dialog, [], "");
      dialog.querySelector("#bl-deposit-p").textContent = o.text;
      dialog.querySelectorAll("[data-param]").forEach(function (el) { el.value = ""; });
      window.BlancheDialogs.open(dialog, button, null, function (close) {
        var params = {};
        dialog.querySelectorAll("[data-param]").forEach(function (el) { params[el.getAttribute("data-param")] = el.value; });
        submitDialog(dialog, "deposit", button, params, close);
      });
    });
  }

  function openDepositTotal(button) {
    withOptions(button, "deposit_total", function (o) {
      var dialog = document.getElementById("bl-deposit-total");
      dialogErrors(dialog, [], "");
      dialog.querySelector("#bl-deposit-total-p").textContent = o.text;
      var rate = dialog.querySelector("[data-param=vat_rate]");
      if (!rate.value) rate.value = "20";
      window.BlancheDialogs.open(dialog, button, null, function (close) {
        var params = {};
        dialog.querySelectorAll("[data-param]").forEach(function (el) { params[el.getAttribute("data-param")] = el.value; });
        submitDialog(dialog, "deposit_total", button, params, close);
      });
    });
  }

  function openDeduct(button) {
    withOptions(button, "deduct_deposits", function (o) {
      var dialog = document.getElementById("bl-deduct");
      dialogErrors(dialog, [], "");
      dialog.querySelector("#bl-deduct-p").textContent = o.text;
      var list = dialog.querySelector(".bl-deduct-list");
      list.replaceChildren();
      o.deposits.forEach(function (deposit) {
        var item = document.createElement("li");
        item.className = "bl-check";
        var input = document.createElement("input");
        input.type = "checkbox";
        input.id = "bl-deduct-" + deposit.id;
        input.checked = deposit.checked;
        input.setAttribute("data-deposit", deposit.id);
        var label = document.createElement("label");
        label.htmlFor = input.id;
        label.textContent = deposit.label;
        item.append(input, label);
        list.appendChild(item);
      });
      dialog.querySelector("[data-dialog=submit]").hidden = o.deposits.length === 0;
      window.BlancheDialogs.open(dialog, button, null, function (close) {
        var ids = [];
        list.querySelectorAll("input[data-deposit]").forEach(function (el) {
          if (el.checked) ids.push(+el.getAttribute("data-deposit"));
        });
        submitDialog(dialog, "deduct_deposits", button, { deposit_ids: ids }, close);
      });
    });
  }

  function openEmail(button) {
    withOptions(button, "send_email", function (o) {
      var dialog = document.getElementById("bl-email");
      dialogErrors(dialog, [], "");
      dialog.querySelector("[data-param=to]").value = o.to;
      dialog.querySelector("[data-param=subject]").value = o.subject;
      dialog.querySelector("[data-param=message]").value = o.message;
      dialog.querySelector("#bl-email-attachment").textContent = o.attachment;
      window.BlancheDialogs.open(dialog, button, null, function (close) {
        var params = {};
        dialog.querySelectorAll("[data-param]").forEach(function (el) { params[el.getAttribute("data-param")] = el.value; });
        submitDialog(dialog, "send_email", button, params, close);
      });
    });
  }

  function run(name, button) {
    flush();
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    request("action", { action: name }).then(function (r) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      finished(name, button, r);
    });
  }

  function finished(name, button, r) {
    if (r.deleted) {
      stopped = true;
      if (ws) ws.close();
      fatal(r.message);
      return;
    }
    {
      Object.keys(r.blocks || {}).forEach(function (block) { swapBlock(block, r.blocks[block], ackedSeq); });
      if (r.hide_preview) {
        var preview = root.querySelector("[data-block=preview]");
        if (preview) preview.remove();
        var layout = root.querySelector(".bl-layout");
        if (layout) layout.classList.remove("bl-with-preview");
      }
      if (r.document_id) documentStored = true;
      if (r.ok && name === "save") savedByButton = true;
      if (r.saved_seq) saved(r.saved_seq);
      setConnection(connectionState);
      notice(r.message, r.ok ? "info" : "error");
      if (r.message && r.ok) say(r.message);
      if (r.document_id) documentId = r.document_id;
      if (r.ok && name === "finalize") { documentStatus = "finalized"; followLifecycle(); }
      if (r.ok && (name === "finalize" || name === "record_payment" || name === "send_email")) {
        var status = document.getElementById("bl-status");  // the document's new state
        if (status) status.focus();
      }
      if (r.url) {
        var link = document.createElement("a");
        link.href = r.url;
        link.download = "";
        link.rel = "noopener";
        document.body.appendChild(link);
        link.click();
        link.remove();
      }
      if (!r.ok && r.errors && r.errors.length) {
        // The server's field errors, at their fields until the next analysis.
        showFindings(lastFindings.concat(r.errors.map(function (x) {
          return { rule_id: r.code || "refused", severity: "error", fields: [x.field], message: x.message };
        })));
      }
    }
  }

  function confirmFinalize(button) {
    window.BlancheDialogs.open(document.getElementById("bl-confirm"), button, function (choice) {
      if (choice === "confirm") run("finalize", button);
    });
  }

  // --- start ---------------------------------------------------------------------------
  if (!token) {
    fatal(text("no-token"));
    post("error", { code: "no_token", message: text("no-token") });
  } else {
    connect();
  }
})();
