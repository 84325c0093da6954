/* Blanche editor: dialogs that open where the user looks.

   Framed by a partner page, the editor's iframe is as tall as its content (the SDK
   sizes it), so a modal <dialog> centred in the iframe can sit far below what the
   host's window shows. The SDK tells the frame which band of it is visible
   (`{source: "blanche-host", type: "viewport", payload: {top, bottom}}`, in the
   frame's CSS pixels, on scroll, resize and intersection changes; PROTOCOL.md), and
   a dialog is placed in that band, following it while open. Without a band (the
   standalone page, or an older SDK), the dialog is placed around the button that
   opened it, which the user has just used and so can see. Focus goes into the
   dialog and back to the opener when it closes. */
(function () {
  "use strict";

  var app = document.getElementById("bl-app");
  var framed = window.parent !== window;
  var parentOrigin = (app && app.getAttribute("data-parent-origin")) || "";
  var band = null;      // {top, bottom} in this document's coordinates, from the host
  var current = null;   // {dialog, opener}
  var MARGIN = 8;

  window.addEventListener("message", function (event) {
    if (!framed || event.source !== window.parent || !parentOrigin || event.origin !== parentOrigin) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.source !== "blanche-host" || data.version !== 1) return;
    if (data.type !== "viewport" || !data.payload) return;
    var top = Number(data.payload.top), bottom = Number(data.payload.bottom);
    if (!isFinite(top) || !isFinite(bottom) || bottom < top) return;
    band = { top: top, bottom: bottom };
    if (current) place(current.dialog, current.opener);
  });

  // The visible band in viewport (position: fixed) coordinates of this document.
  function visible(opener) {
    var height = window.innerHeight;
    if (!framed) return { top: 0, bottom: height };
    var scroll = window.scrollY || 0;
    var known = band ? { top: band.top - scroll, bottom: band.bottom - scroll } : null;
    // (When the host scrolls to bring the button into view just before the click, the
    // new band follows within a frame and the open dialog moves with it.)
    if (known && known.bottom - known.top >= 48) {
      return { top: Math.max(0, known.top), bottom: Math.min(height, known.bottom) };
    }
    var anchor = opener && opener.isConnected ? opener.getBoundingClientRect() : null;
    if (anchor) {
      var span = Math.min(height, 560);
      var top = Math.max(0, Math.min(height - span, anchor.top - span / 3));
      return { top: top, bottom: top + span };
    }
    return { top: 0, bottom: Math.min(height, 560) };
  }

  function place(dialog, opener) {
    var area = visible(opener);
    var room = Math.max(120, area.bottom - area.top - 2 * MARGIN);
    dialog.style.margin = "0";
    dialog.style.maxHeight = room + "px";
    dialog.style.overflow = "auto";
    var width = Math.min(dialog.offsetWidth, window.innerWidth - 2 * MARGIN);
    var height = Math.min(dialog.offsetHeight, room);
    var top = area.top + Math.max(MARGIN, (area.bottom - area.top - height) / 2);
    dialog.style.top = Math.round(top) + "px";
    dialog.style.left = Math.round(Math.max(MARGIN, (window.innerWidth - width) / 2)) + "px";
  }

  /* Opens `dialog` modally in view; `onChoice(choice)` gets the `data-dialog` value of
     the button pressed ("cancel" on Escape; "confirm" after a submit). A form dialog
     may pass `onSubmit(close)`: the dialog stays open until it calls `close()` (the
     server may refuse what was typed). Returns a function that closes it. */
  function open(dialog, opener, onChoice, onSubmit) {
    if (current) current.dialog.close();
    current = { dialog: dialog, opener: opener };
    dialog.showModal();
    place(dialog, opener);
    var first = dialog.querySelector("[autofocus], input:not([type=hidden]), select, textarea, button");
    if (first) first.focus({ preventScroll: true });
    var chosen = "cancel";
    function click(e) {
      var button = e.target.closest && e.target.closest("[data-dialog]");
      if (!button || !dialog.contains(button)) return;
      var choice = button.getAttribute("data-dialog");
      if (choice === "submit") return;  // a form's submit button: handled by onChoice via submit
      chosen = choice;
      dialog.close();
    }
    function submit(e) {
      e.preventDefault();
      var close = function () { chosen = "confirm"; dialog.close(); };
      if (onSubmit) onSubmit(close);
      else close();
    }
    function closed() {
      dialog.removeEventListener("click", click);
      dialog.removeEventListener("submit", submit);
      dialog.removeEventListener("close", closed);
      if (current && current.dialog === dialog) current = null;
      if (opener && opener.isConnected) opener.focus({ preventScroll: true });
      if (onChoice) onChoice(chosen);
    }
    dialog.addEventListener("click", click);
    dialog.addEventListener("submit", submit);
    dialog.addEventListener("close", closed);
    return function () { if (dialog.open) dialog.close(); };
  }

  window.BlancheDialogs = { open: open, place: function () { if (current) place(current.dialog, current.opener); } };
})();
