/* Lineage: previews of links in an article, on hover and on keyboard focus.
 *
 * Links to pages (wikilinks in the text, the related pages) show a card with
 * the page's title, kind, lede and portrait, asked of /preview/<section>/<slug>/
 * (a small JSON answer, cached by the site until the next publish).  Citation
 * markers [n] show the full reference, copied from the page's own reference
 * list: no request.
 *
 *   - hovering with a mouse opens the card after a short delay; it stays open
 *     while the pointer is over the link or the card, and closes soon after
 *     it leaves both;
 *   - focusing a link from the keyboard opens it at once; blur closes it;
 *   - Escape closes it; focus never moves and the card never covers the link
 *     (it goes below the link, or above when there is no room below);
 *   - a tap on a touch screen opens nothing: the link just navigates;
 *   - the card is a role=tooltip named by the link's aria-describedby.
 *
 * The links' native titles (a citation's source title) would show the same
 * thing twice: they are removed where this script runs.  Without JavaScript
 * the links are plain links and the titles stay.
 */
(function () {
  "use strict";

  var OPEN_DELAY = 350;   /* ms of hovering before a card opens */
  var CLOSE_DELAY = 200;  /* ms after the pointer leaves link and card */
  var MARGIN = 8;         /* px kept between the card and the window's edges */
  var PAGE_LINKS = ".article .body a.wikilink:not(.wikilink-missing):not(.wikilink-ambiguous), " +
    ".article .navigation .nav-list a";
  var CITATIONS = ".article sup.cite > a[href^='#ref-']";

  var card = null;        /* the one card element, made on first use */
  var shownFor = null;    /* the link the card describes */
  var openTimer = null;
  var closeTimer = null;
  var answers = {};       /* preview URL -> promise of its JSON */

  function previewUrl(link) {
    if (link.origin !== window.location.origin) { return null; }
    var match = /^\/([a-z0-9-]+)\/([^/]+)\/$/.exec(link.pathname);
    if (!match) { return null; }
    return "/preview/" + match[1] + "/" + match[2] + "/";
  }

  function fetchPreview(url) {
    if (!answers[url]) {
      answers[url] = fetch(url, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("preview: " + response.status); }
        return response.json();
      });
      answers[url].catch(function () { delete answers[url]; });
    }
    return answers[url];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function ensureCard() {
    if (card) { return card; }
    card = element("div", "preview-card");
    card.id = "link-preview";
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(closeTimer); });
    card.addEventListener("mouseleave", scheduleClose);
    /* In the main landmark, so everything the reader sees is in one. */
    (document.getElementById("content") || document.body).appendChild(card);
    return card;
  }

  function pageContent(data) {
    var parts = [];
    if (data.image && data.image.src) {
      var img = element("img", "preview-image");
      img.src = data.image.src;
      img.alt = data.image.alt || "";
      parts.push(img);
    }
    var text = element("div", "preview-text");
    text.appendChild(element("p", "preview-title", data.title));
    text.appendChild(element("p", "preview-kind",
      data.description ? data.kind + " · " + data.description : data.kind));
    if (data.lede) { text.appendChild(element("p", "preview-lede", data.lede)); }
    parts.push(text);
    return parts;
  }

  function citationContent(link) {
    var id = decodeURIComponent(link.hash.slice(1));
    var entry = document.getElementById(id);
    if (!entry) { return null; }
    var reference = entry.querySelector(".reference, .source-reference") || entry;
    var copy = reference.cloneNode(true);
    /* The copy is read, not used: no duplicate ids, nothing to tab to. */
    copy.querySelectorAll("[id]").forEach(function (node) { node.removeAttribute("id"); });
    copy.querySelectorAll(".backlinks, .source-link").forEach(function (node) { node.remove(); });
    copy.querySelectorAll("a, button, input").forEach(function (node) {
      node.setAttribute("tabindex", "-1");
    });
    if (copy.id) { copy.removeAttribute("id"); }
    var text = element("div", "preview-text preview-reference");
    text.appendChild(element("p", "preview-kind", "Reference " + link.textContent.trim()));
    text.appendChild(copy);
    return [text];
  }

  /* Where the card's containing block starts, in window coordinates. */
  function origin() {
    var parent = card.offsetParent;
    if (!parent || (parent === document.body &&
        window.getComputedStyle(parent).position === "static")) {
      return { left: -window.scrollX, top: -window.scrollY };
    }
    var rect = parent.getBoundingClientRect();
    return {
      left: rect.left + parent.clientLeft - parent.scrollLeft,
      top: rect.top + parent.clientTop - parent.scrollTop
    };
  }

  function place(link) {
    var viewport = document.documentElement.clientWidth;
    var width = Math.min(352, viewport - 2 * MARGIN);
    card.style.width = width + "px";
    var box = link.getBoundingClientRect();
    var left = Math.max(MARGIN, Math.min(box.left, viewport - width - MARGIN));
    var height = card.offsetHeight;
    var below = window.innerHeight - box.bottom;
    var top = (below >= height + MARGIN || below >= box.top)
      ? box.bottom + 6
      : box.top - height - 6;
    var start = origin();
    card.style.left = (left - start.left) + "px";
    card.style.top = (top - start.top) + "px";
  }

  function show(link, parts) {
    if (shownFor !== link) { return; }
    ensureCard();
    card.replaceChildren.apply(card, parts);
    card.classList.toggle("preview-card-wide", parts.length > 1);
    card.hidden = false;
    place(link);
    /* The next frame: the transition (none with reduced motion) starts from hidden. */
    window.requestAnimationFrame(function () {
      if (shownFor === link) { card.classList.add("is-open"); }
    });
    link.setAttribute("aria-describedby", card.id);
  }

  function open(link) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (shownFor === link && card && !card.hidden) { return; }
    close();
    shownFor = link;
    if (link.matches(CITATIONS)) {
      var parts = citationContent(link);
      if (parts) { show(link, parts); }
      return;
    }
    var url = previewUrl(link);
    if (!url) { return; }
    fetchPreview(url).then(function (data) {
      show(link, pageContent(data));
    }).catch(function () { /* no card: the link still works */ });
  }

  function close() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (shownFor) { shownFor.removeAttribute("aria-describedby"); }
    shownFor = null;
    if (card) {
      card.hidden = true;
      card.classList.remove("is-open");
    }
  }

  function scheduleClose() {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    closeTimer = setTimeout(close, CLOSE_DELAY);
  }

  function previewable(target) {
    if (!(target instanceof Element)) { return null; }
    var link = target.closest("a");
    if (!link) { return null; }
    return link.matches(PAGE_LINKS) || link.matches(CITATIONS) ? link : null;
  }

  function focusedByKeyboard(link) {
    try { return link.matches(":focus-visible"); } catch (error) { return true; }
  }

  function setUp() {
    var links = document.querySelectorAll(PAGE_LINKS + ", " + CITATIONS);
    if (!links.length) { return; }
    links.forEach(function (link) { link.removeAttribute("title"); });

    document.addEventListener("pointerover", function (event) {
      if (event.pointerType !== "mouse") { return; }  /* touch: the tap navigates */
      var link = previewable(event.target);
      if (!link) { return; }
      clearTimeout(closeTimer);
      if (shownFor === link) { return; }
      clearTimeout(openTimer);
      openTimer = setTimeout(function () { open(link); }, OPEN_DELAY);
    });
    document.addEventListener("pointerout", function (event) {
      if (event.pointerType !== "mouse") { return; }
      var link = previewable(event.target);
      if (!link || link.contains(event.relatedTarget)) { return; }
      if (link === shownFor) { scheduleClose(); } else { clearTimeout(openTimer); }
    });
    document.addEventListener("focusin", function (event) {
      var link = previewable(event.target);
      if (link && focusedByKeyboard(link)) { open(link); }
    });
    document.addEventListener("focusout", function (event) {
      if (previewable(event.target) === shownFor) { close(); }
    });
    /* A click or a tap: the reader is going somewhere; nothing opens now. */
    document.addEventListener("pointerdown", function (event) {
      if (!card || !card.contains(event.target)) { close(); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shownFor) { close(); }
    });
    window.addEventListener("resize", close);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
