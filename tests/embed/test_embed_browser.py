"""embed.js in real Chromium: the partner page, the editor and a third party
each on their own origin. The fake editor posts protocol messages the way the
real one must (PROTOCOL.md); every test runs against both builds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Frame, Page

from embed.bundle import GLOBAL, MODULE
from embed.contract import EVENT_TYPES
from tests.embed.conftest import Site

pytestmark = pytest.mark.browser

HTML = "text/html; charset=utf-8"
JS = "text/javascript; charset=utf-8"

FAKE_EDITOR = """<!doctype html>
<html><head><meta charset="utf-8">
<style>html, body { margin: 0; } #content { height: 200px; background: #eef; }</style>
</head><body><div id="content">fake editor</div>
<script>
  "use strict";
  const parentOrigin = new URLSearchParams(location.search).get("parent");
  window.postRaw = function (data) { parent.postMessage(data, parentOrigin); };
  window.post = function (type, payload) {
    postRaw({source: "blanche", version: 1, type: type, payload: payload});
  };
  window.setContentHeight = function (px) {
    document.getElementById("content").style.height = px + "px";
  };
  new ResizeObserver(function () {
    post("resize", {height: Math.ceil(document.body.getBoundingClientRect().height)});
  }).observe(document.body);
  post("ready", {document_id: null, kind: "invoice", locale: "fr-FR"});
</script></body></html>
"""

# A frame that is not the editor's posts a perfect-looking message to "*".
ROGUE = """<!doctype html><script>
  parent.postMessage({source: "blanche", version: 1, type: "document.saved",
                      payload: {marker: location.search.slice(1)}}, "*");
</script>"""

HARNESS = """<!doctype html>
<html><head><meta charset="utf-8"><style>body { margin: 0; } #slot { width: 640px; }</style>
</head><body><div id="slot"></div>
<script>
  "use strict";
  window.events = [];
  window.saved = [];
  window.rawLog = [];
  window.addEventListener("message", function (m) {
    const data = m.data && typeof m.data === "object" ? m.data : {};
    rawLog.push({type: data.type, marker: data.payload && data.payload.marker});
  });
  window.mountEditor = function (url, minHeight) {
    window.handle = window.Sdk.mount(document.getElementById("slot"), {
      url: url,
      minHeight: minHeight,
      onEvent: function (event) { events.push(event); },
    });
    handle.on("document.saved", function (payload, event) { saved.push([event.type, payload]); });
    return handle.origin;
  };
  window.addFrame = function (src) {
    const frame = document.createElement("iframe");
    frame.src = src;
    document.body.append(frame);
  };
</script>
LOADER
</body></html>
"""

LOADERS = {
    "module": """<script type="module">
  import Blanche, * as named from "/embed.js";
  window.Sdk = Blanche;
  window.named = named;
  window.harnessReady = true;
</script>""",
    "global": """<script src="/embed.global.js"></script>
<script>window.Sdk = window.Blanche; window.harnessReady = true;</script>""",
}


@dataclass
class Sites:
    host: Site
    editor: Site
    third: Site

    @property
    def editor_url(self) -> str:
        return f"{self.editor.origin}/editor.html?parent={quote(self.host.origin)}#t=fake-token"


@pytest.fixture(scope="module")
def sites(start_site: Callable[[], Site]) -> Sites:
    host, editor, third = start_site(), start_site(), start_site()
    for build, loader in LOADERS.items():
        host.add(f"/harness-{build}.html", HTML, HARNESS.replace("LOADER", loader))
    host.add("/embed.js", JS, MODULE.read_bytes())
    host.add("/embed.global.js", JS, GLOBAL.read_bytes())
    host.add("/example/host.html", HTML, (MODULE.parent / "example" / "host.html").read_bytes())
    editor.add("/editor.html", HTML, FAKE_EDITOR)
    editor.add("/rogue.html", HTML, ROGUE)
    editor.add("/embed/embed.global.js", JS, GLOBAL.read_bytes())
    third.add("/rogue.html", HTML, ROGUE)
    return Sites(host, editor, third)


@pytest.fixture(params=sorted(LOADERS))
def harness(request: pytest.FixtureRequest, page: Page, sites: Sites) -> Page:
    page.set_default_timeout(5000)
    page.goto(f"{sites.host.origin}/harness-{request.param}.html")
    page.wait_for_function("() => window.harnessReady === true")
    return page


def mount(page: Page, sites: Sites, min_height: int = 300) -> Frame:
    origin = page.evaluate("([url, h]) => mountEditor(url, h)", [sites.editor_url, min_height])
    assert origin == sites.editor.origin
    wait_for_event(page, "ready")
    wait_for_event(page, "resize")
    frame = next(f for f in page.frames if f.url.startswith(sites.editor.origin + "/editor.html"))
    return frame


def wait_for_event(page: Page, event_type: str) -> None:
    page.wait_for_function("t => window.events.some(e => e.type === t)", arg=event_type)


def event_types(page: Page) -> list[str]:
    types: list[str] = page.evaluate("() => window.events.map(e => e.type)")
    return types


def iframe_height(page: Page) -> float:
    height: float = page.evaluate(
        "() => document.querySelector('#slot iframe').getBoundingClientRect().height"
    )
    return height


def message_listeners(page: Page) -> int:
    cdp = page.context.new_cdp_session(page)
    try:
        window = cdp.send("Runtime.evaluate", {"expression": "window"})["result"]
        found: list[dict[str, Any]] = cdp.send(
            "DOMDebugger.getEventListeners", {"objectId": window["objectId"]}
        )["listeners"]
    finally:
        cdp.detach()
    return sum(1 for listener in found if listener["type"] == "message")


TOTALS = {
    "currency": "EUR",
    "tax_exclusive": "100.00",
    "vat": "20.00",
    "tax_inclusive": "120.00",
    "amount_due": "120.00",
}


def test_mount_creates_a_plain_iframe_and_relays_typed_events(harness: Page, sites: Sites) -> None:
    frame = mount(harness, sites)
    iframe = harness.evaluate(
        """() => {
          const f = document.querySelector('#slot iframe');
          const style = getComputedStyle(f);
          return {title: f.title, referrer: f.getAttribute('referrerpolicy'),
                  allow: f.getAttribute('allow'), sandbox: f.getAttribute('sandbox'),
                  border: style.borderTopWidth, width: f.getBoundingClientRect().width,
                  src: f.src, frozen: Object.isFrozen(window.events[0])};
        }"""
    )
    assert iframe == {
        "title": "Editor",
        "referrer": "no-referrer",
        "allow": None,
        "sandbox": None,
        "border": "0px",
        "width": 640,
        "src": sites.editor_url,
        "frozen": True,
    }
    assert harness.evaluate("() => window.events[0].payload") == {
        "document_id": None,
        "kind": "invoice",
        "locale": "fr-FR",
    }
    payload = {
        "document_id": "d1",
        "kind": "invoice",
        "status": "draft",
        "number": None,
        "saved_at": "2026-01-05T10:00:00+01:00",
        "totals": TOTALS,
    }
    frame.evaluate("p => post('document.saved', p)", payload)
    harness.wait_for_function("() => window.saved.length === 1")
    assert harness.evaluate("() => window.saved") == [["document.saved", payload]]
    assert event_types(harness)[-1] == "document.saved"


def test_the_iframe_height_follows_the_content(harness: Page, sites: Sites) -> None:
    frame = mount(harness, sites, min_height=300)
    assert iframe_height(harness) == 300  # content is 200px: the minimum wins
    frame.evaluate("setContentHeight(1234)")
    harness.wait_for_function(
        "() => document.querySelector('#slot iframe').getBoundingClientRect().height === 1234"
    )
    no_scrollbars = """() => document.documentElement.scrollHeight <= window.innerHeight
                         && document.documentElement.scrollWidth <= window.innerWidth"""
    assert frame.evaluate(no_scrollbars)
    frame.evaluate("setContentHeight(777.4)")
    harness.wait_for_function(
        "() => document.querySelector('#slot iframe').getBoundingClientRect().height === 778"
    )
    assert frame.evaluate(no_scrollbars)
    frame.evaluate("setContentHeight(120)")
    harness.wait_for_function(
        "() => document.querySelector('#slot iframe').getBoundingClientRect().height === 300"
    )


def test_messages_from_other_frames_origins_or_versions_are_ignored(
    harness: Page, sites: Sites
) -> None:
    frame = mount(harness, sites)
    height = iframe_height(harness)
    # A third-party frame, a second frame of the editor's own origin, and the page itself.
    harness.evaluate("src => addFrame(src)", f"{sites.third.origin}/rogue.html?third")
    harness.evaluate("src => addFrame(src)", f"{sites.editor.origin}/rogue.html?sibling")
    harness.evaluate(
        """() => window.postMessage({source: 'blanche', version: 1, type: 'document.saved',
                                     payload: {marker: 'self'}}, '*')"""
    )
    # The editor itself, with envelopes the SDK must not trust.
    frame.evaluate(
        """() => {
          const bad = [
            {source: 'blanche', version: 2, type: 'document.saved'},
            {source: 'other', version: 1, type: 'document.saved'},
            {source: 'blanche', version: '1', type: 'document.saved'},
            {source: 'blanche', type: 'document.saved'},
            {source: 'blanche', version: 1, type: 'document.exploded'},
            {source: 'blanche', version: 1, type: 'resize', payload: {height: 'tall'}},
            {source: 'blanche', version: 1, type: 'resize', payload: {height: -5}},
          ];
          bad.forEach((m, i) => postRaw(Object.assign({payload: {}}, m, {
            payload: Object.assign({}, m.payload, {marker: 'bad' + i})})));
          postRaw('blanche');
          postRaw(null);
        }"""
    )
    markers = ["third", "sibling", "self", *(f"bad{i}" for i in range(7))]
    harness.wait_for_function(
        "markers => markers.every(m => window.rawLog.some(r => r.marker === m))", arg=markers
    )
    assert set(event_types(harness)) == {"ready", "resize"}
    assert harness.evaluate("() => window.saved") == []
    assert iframe_height(harness) == height
    # The channel still works: the next genuine message is dispatched.
    frame.evaluate("() => post('contact.created', {contact_id: 'c1', name: 'ACME'})")
    wait_for_event(harness, "contact.created")
    assert set(event_types(harness)) == {"ready", "resize", "contact.created"}
    # The same iframe navigated to another origin: right window, wrong origin.
    frame.evaluate("url => { location.href = url; }", f"{sites.third.origin}/rogue.html?moved")
    harness.wait_for_function("() => window.rawLog.some(r => r.marker === 'moved')")
    assert set(event_types(harness)) == {"ready", "resize", "contact.created"}


def test_unmount_removes_the_iframe_and_the_message_listener(harness: Page, sites: Sites) -> None:
    before = message_listeners(harness)
    mount(harness, sites)
    assert message_listeners(harness) == before + 1
    harness.evaluate(
        """() => {
          window.detached = handle.iframe;
          handle.unmount();
          handle.unmount();
          handle.on('document.saved', () => events.push('late listener'));
        }"""
    )
    assert harness.evaluate("() => document.querySelectorAll('iframe').length") == 0
    assert message_listeners(harness) == before
    dispatched = len(event_types(harness))
    # Put the very iframe back by hand: the editor loads again and posts `ready`;
    # the page receives it, the unmounted SDK must not dispatch it.
    harness.evaluate("() => { rawLog.length = 0; document.body.append(window.detached); }")
    harness.wait_for_function("() => window.rawLog.some(m => m.type === 'ready')")
    harness.wait_for_function("() => window.rawLog.some(m => m.type === 'resize')")
    assert len(event_types(harness)) == dispatched


def test_listeners_come_and_go_and_one_failing_does_not_stop_the_others(
    harness: Page, sites: Sites
) -> None:
    frame = mount(harness, sites)
    harness.evaluate(
        """() => {
          window.calls = [];
          handle.on('contact.created', () => { throw new Error('listener bug'); });
          handle.on('contact.created', p => calls.push('second:' + p.name));
          const removed = p => calls.push('removed');
          handle.on('contact.created', removed);
          handle.off('contact.created', removed);
          const stop = handle.on('contact.created', p => calls.push('stopped'));
          stop();
        }"""
    )
    with harness.expect_event("pageerror") as error:
        frame.evaluate("() => post('contact.created', {contact_id: 'c1', name: 'ACME'})")
        harness.wait_for_function("() => window.calls.length > 0")
    assert "listener bug" in str(error.value)
    assert harness.evaluate("() => window.calls") == ["second:ACME"]
    errors = harness.evaluate(
        """() => {
          const slot = document.getElementById('slot');
          const attempt = f => { try { f(); return null; } catch (e) { return e.name; } };
          return [
            attempt(() => handle.on('document.save', () => {})),
            attempt(() => handle.on('ready', 'not a function')),
            attempt(() => Sdk.mount(slot, {url: 'javascript:alert(1)'})),
            attempt(() => Sdk.mount(slot, {url: 'http://[bad'})),
            attempt(() => Sdk.mount(null, {url: 'https://example.com/'})),
            document.querySelectorAll('#slot iframe').length,
            Sdk.PROTOCOL_VERSION,
            Sdk.EVENT_TYPES.length,
          ];
        }"""
    )
    assert errors == ["TypeError"] * 5 + [1, 1, len(EVENT_TYPES)]


def test_the_example_host_page_embeds_the_editor_and_logs_events(page: Page, sites: Sites) -> None:
    page.set_default_timeout(5000)
    page.goto(f"{sites.host.origin}/example/host.html?editor={quote(sites.editor_url)}")
    page.wait_for_selector('#log li[data-type="ready"]')
    page.wait_for_selector('#log li[data-type="resize"]')
    assert page.locator("#slot iframe").count() == 1
    assert page.locator("#status").inner_text() == f"Editor from {sites.editor.origin}"
    page.click("#unmount")
    assert page.locator("#slot iframe").count() == 0
