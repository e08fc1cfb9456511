/* Lineage: suggestions as you type, in the search boxes, the edit form's
 * page and source fields and its Markdown fields.  One component, the
 * WAI-ARIA APG "combobox with listbox popup" (list autocomplete, no
 * automatic selection):
 *
 *   - the input becomes a combobox controlling a listbox made here; the
 *     active option is named by aria-activedescendant, so focus never
 *     leaves the input and typing goes on as usual;
 *   - Down and Up move through the options (wrapping), Enter picks the
 *     active one, Escape closes the list (a second Escape clears the box),
 *     Tab closes it and moves on, Home, End, Left and Right edit the text;
 *   - a click or a tap on an option picks it;
 *   - with no option active, Enter does what it did before: the form is sent.
 *
 * Without JavaScript the boxes are plain fields and the forms still work.
 *
 * Inputs with data-suggest (the search boxes) are set up here; other scripts
 * attach the component to their own fields with LineageSuggest.attach().
 */
(function () {
  "use strict";

  var DELAY = 150;  /* ms after the last keystroke before asking */
  var count = 0;

  function ask(url, signal) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      signal: signal
    }).then(function (response) {
      if (!response.ok) { throw new Error("suggestions: " + response.status); }
      return response.json();
    });
  }

  /* Make `input` a combobox.  Options:
   *   url(query)   the JSON to ask for
   *   read(data)   {items: [{title, kind, note, value, url}], searchUrl}
   *                (searchUrl, if any, adds a last option "Search for “q”")
   *   navigate     true: picking an option opens its url; false: picking
   *                puts its value in the input
   *   minLength    characters typed before suggestions are asked for
   *   query()      what to ask about (default: the input's value, trimmed)
   *   choose(item) instead of putting item.value in the input
   *   container    where the list goes (default: a wrapper round the input)
   *   multiline    a textarea: its own role stays, and the arrow keys move
   *                the caret unless the list is showing
   *   opening(), closing()  called as the list shows and hides
   */
  function attach(input, options) {
    if (input.dataset.suggestReady) { return; }
    input.dataset.suggestReady = "1";
    count += 1;
    var base = (input.id || "suggest-" + count) + "-suggestions";
    var minLength = options.minLength || 1;
    var multiline = Boolean(options.multiline);
    var currentQuery = options.query || function () { return input.value.trim(); };

    /* A wrapper the list is placed under (the input keeps its own classes). */
    var wrapper = options.container;
    if (!wrapper) {
      wrapper = document.createElement("span");
      wrapper.className = "combobox";
      input.before(wrapper);
      wrapper.appendChild(input);
    }

    var list = document.createElement("ul");
    list.id = base;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);

    if (!multiline) {
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("autocomplete", "off");
    }
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);

    var items = [];      /* what the options stand for, in order */
    var active = -1;     /* index of the active option, -1 for none */
    var shownFor = null; /* the query the options answer */
    var asked = 0;       /* numbers each request; only the latest counts */
    var controller = null;
    var timer = null;

    function isOpen() { return !list.hidden; }

    function setActive(index) {
      var options = list.children;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
        options[active].classList.remove("is-active");
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        options[active].classList.add("is-active");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!items.length || document.activeElement !== input) { return; }
      if (options.opening) { options.opening(); }
      list.hidden = false;
      if (!multiline) {
        input.setAttribute("aria-expanded", "true");
        fit();
      }
    }

    /* The list starts under the box's left end; where the window has no room
     * for it there (the header's box, on the right), under its right end;
     * where neither fits, as wide as the box. */
    function fit() {
      var room = document.documentElement.clientWidth;
      list.classList.remove("suggestions-end", "suggestions-fit");
      if (list.getBoundingClientRect().right <= room) { return; }
      list.classList.add("suggestions-end");
      if (list.getBoundingClientRect().left >= 0) { return; }
      list.classList.remove("suggestions-end");
      list.classList.add("suggestions-fit");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      if (!multiline) { input.setAttribute("aria-expanded", "false"); }
      if (options.closing) { options.closing(); }
    }

    function cancel() {
      clearTimeout(timer);
      if (controller) { controller.abort(); controller = null; }
      asked += 1;  /* an answer already on its way is ignored */
    }

    function option(item, index) {
      var li = document.createElement("li");
      li.id = base + "-" + index;
      li.className = "suggestion" + (item.searchFor ? " suggestion-search" : "");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.className = "suggestion-title";
      title.textContent = item.title;
      li.appendChild(title);
      if (item.kind) {
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = item.kind;
        li.append(" ", kind);
      }
      if (item.note) {
        var note = document.createElement("span");
        note.className = "suggestion-note";
        note.textContent = item.note;
        li.appendChild(note);
      }
      return li;
    }

    function show(query, found) {
      items = found.items.slice();
      var results = items.length;
      if (found.searchUrl) {
        items.push({ title: "Search for “" + query + "”", url: found.searchUrl, searchFor: true });
      }
      shownFor = query;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren.apply(list, items.map(option));
      status.textContent = results === 0 ? "No suggestions" :
        results === 1 ? "1 suggestion" : results + " suggestions";
      if (items.length) { open(); } else { close(); }
    }

    function suggest() {
      var query = currentQuery();
      if (query.length < minLength) {
        cancel();
        items = [];
        shownFor = null;
        close();
        return;
      }
      if (query === shownFor) { open(); return; }
      cancel();
      var mine = asked;
      controller = typeof AbortController === "function" ? new AbortController() : null;
      ask(options.url(query), controller && controller.signal).then(function (data) {
        /* An older query's answer, or the box changed meanwhile: drop it. */
        if (mine !== asked || currentQuery() !== query) { return; }
        show(query, options.read(data));
      }).catch(function () { /* suggestions are a convenience; typing goes on */ });
    }

    function pick(index) {
      var item = items[index];
      if (!item) { return; }
      close();
      if (item.searchFor) {
        /* The form as if sent by Enter (so a search page keeps its filters). */
        if (input.form && input.form.requestSubmit) { input.form.requestSubmit(); } else { window.location.assign(item.url); }
        return;
      }
      if (options.navigate) {
        input.value = item.title;
        window.location.assign(item.url);
        return;
      }
      items = [];  /* Down asks again, for what the box now holds */
      shownFor = null;
      if (options.choose) {
        options.choose(item);
        return;
      }
      input.value = item.value;
      input.setSelectionRange(input.value.length, input.value.length);
      /* Scripts that watch the field (the editor's "create this page"
       * offer) see it as the user's change. */
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", function () {
      setActive(-1);
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown" && !multiline) {
        open();
        event.preventDefault();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      switch (event.key) {
        case "ArrowDown":
        case "ArrowUp":
          if (!isOpen() && multiline) { return; }  /* the caret moves */
          event.preventDefault();
          if (!isOpen()) {
            if (currentQuery() === shownFor && items.length) {
              open();
            } else {
              suggest();
              return;
            }
          }
          if (event.key === "ArrowDown") {
            setActive(active + 1 < items.length ? active + 1 : 0);
          } else {
            setActive(active > 0 ? active - 1 : items.length - 1);
          }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            pick(active);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            event.stopPropagation();  /* the list closes, not the header's menu */
            close();
          } else if (input.value && !multiline) {
            event.preventDefault();
            event.stopPropagation();
            cancel();
            input.value = "";
            shownFor = null;
            items = [];
          }
          break;
        case "Tab":
          close();
          break;
        case "ArrowLeft":
        case "ArrowRight":
        case "Home":
        case "End":
          if (multiline) { close(); } else { setActive(-1); }  /* back to editing the text */
          break;
        default:
          break;
      }
    });

    /* Pressing on the list keeps focus in the input; the click picks. */
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var li = event.target.closest("[role=option]");
      if (li) { pick(Array.prototype.indexOf.call(list.children, li)); }
    });

    input.addEventListener("blur", function () { close(); });
    if (multiline) { input.addEventListener("mousedown", function () { close(); }); }
  }

  /* The search boxes: data-suggest is the suggestions URL; with
   * data-suggest-kinds ("theme organization") the box takes a title for the
   * form, otherwise picking a suggestion opens its page. */
  function initSearchBox(input) {
    var url = input.dataset.suggest;
    var kinds = (input.dataset.suggestKinds || "").split(/\s+/).filter(Boolean);
    var navigate = kinds.length === 0;
    attach(input, {
      minLength: 2,
      navigate: navigate,
      url: function (query) {
        var params = new URLSearchParams({ q: query });
        kinds.forEach(function (kind) { params.append("kind", kind); });
        return url + (url.indexOf("?") === -1 ? "?" : "&") + params.toString();
      },
      read: function (data) {
        return {
          items: (data.results || []).map(function (result) {
            return {
              title: result.title,
              kind: result.kind_label,
              note: result.lede,
              value: result.title,
              url: result.url
            };
          }),
          searchUrl: navigate ? data.search_url : ""
        };
      }
    });
  }

  /* Markdown fields: after "[[" and two characters, page titles (Enter or a
   * click writes "Title]]", or "Title (kind)]]" when two suggestions share
   * the title); after "[@" (or "; @" in a group) and two characters, sources
   * by citation key (writes "key]").  The list opens under the caret: an
   * invisible copy of the text up to the caret, laid over the field, holds
   * the anchor the list is placed by (CSS anchor positioning; browsers
   * without it show the list under the field). */
  var LINK = /\[\[([^\[\]|\n]{2,})$/;
  var CITE = /(?:\[|;[ \t]*)@([^\]\s;@]{2,})$/;

  function initMarkdownField(box, url) {
    var editor = box.querySelector("textarea.markdownx-editor");
    if (!editor) { return; }
    var mirror = document.createElement("div");
    mirror.className = "caret-mirror";
    mirror.setAttribute("aria-hidden", "true");
    editor.after(mirror);
    var typed = null;  /* {syntax, text, start}: what the caret ends */

    function find() {
      typed = null;
      var caret = editor.selectionStart;
      if (caret !== editor.selectionEnd) { return ""; }
      var before = editor.value.slice(Math.max(0, caret - 200), caret);
      var match = before.match(LINK);
      var syntax = "link";
      if (!match) {
        match = before.match(CITE);
        syntax = "cite";
      }
      if (!match) { return ""; }
      typed = { syntax: syntax, text: match[1], start: caret - match[1].length };
      return syntax + ":" + match[1];
    }

    attach(editor, {
      multiline: true,
      container: box,
      minLength: 2,
      query: find,
      url: function () {
        var params = new URLSearchParams({ q: typed.text });
        params.append(typed.syntax === "cite" ? "kind" : "pages", typed.syntax === "cite" ? "source" : "1");
        return url + (url.indexOf("?") === -1 ? "?" : "&") + params.toString();
      },
      read: function (data) {
        /* Each result's "link" names it in Markdown: a page's title (with
         * its kind when another page has the title), a source's key. */
        var cite = typed && typed.syntax === "cite";
        return {
          items: (data.results || []).map(function (result) {
            return {
              title: cite ? result.link : result.title,
              kind: cite ? "" : result.kind_label,
              note: cite ? result.title : result.lede,
              value: result.link
            };
          })
        };
      },
      opening: function () {
        var caret = editor.selectionStart;
        var anchor = document.createElement("span");
        anchor.className = "caret-anchor";
        anchor.textContent = "\u200b";
        mirror.replaceChildren(editor.value.slice(0, caret), anchor);
        mirror.classList.toggle("caret-mirror-scrolls", editor.scrollHeight > editor.clientHeight);
        mirror.scrollTop = editor.scrollTop;
      },
      closing: function () { mirror.replaceChildren(); },
      choose: function (item) {
        if (!typed) { return; }
        var caret = editor.selectionStart;
        var close = typed.syntax === "link" ? "]]" : "]";
        var closed = editor.value.slice(caret, caret + close.length) === close;
        var text = item.value + (closed ? "" : close);
        /* As if typed: Ctrl+Z takes it back; "input" updates the preview. */
        editor.setSelectionRange(typed.start, caret);
        if (!document.execCommand || !document.execCommand("insertText", false, text)) {
          editor.setRangeText(text, typed.start, caret, "end");
          editor.dispatchEvent(new Event("input", { bubbles: true }));
        }
        var end = typed.start + text.length + (closed ? close.length : 0);
        editor.setSelectionRange(end, end);  /* after the link or citation */
      }
    });
  }

  window.LineageSuggest = { attach: attach };

  function init() {
    document.querySelectorAll("input[data-suggest]").forEach(initSearchBox);
    var header = document.getElementById("site-search-q");
    if (header && header.dataset.suggest) {
      document.querySelectorAll("form .markdownx").forEach(function (box) {
        initMarkdownField(box, header.dataset.suggest);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
