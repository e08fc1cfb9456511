/* Markdown fields (django-markdownx's editor and live preview), on the site and
 * in the admin: the keyboard stays the browser's.
 *
 * markdownx listens for keydown on its textarea (in the capture phase) and
 * inserts a tab for Tab, so focus can never leave the field (a keyboard trap,
 * WCAG 2.1.2) and each Tab turns text into a code block.  A keydown listener
 * on window, in the capture phase, runs before any listener on the textarea;
 * for the keys markdownx takes over it stops the event there.  So Tab and
 * Shift+Tab move focus as everywhere else, Ctrl+D is the browser's again, and
 * indenting is an explicit key, written under each field: Ctrl+] indents the
 * lines of the selection, Ctrl+[ outdents them, as one undoable edit.
 *
 * Each live preview becomes a labelled region one can Tab to and read, and
 * is refreshed when the text changes, not when the field gains focus.
 */
(function () {
  "use strict";

  var INDENT = "    ";  /* what Markdown needs to nest a list or a quote */
  var hintCount = 0;

  function isEditor(element) {
    return element instanceof HTMLTextAreaElement && element.classList.contains("markdownx-editor");
  }

  function indentKey(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) { return ""; }
    if (event.key === "]" || event.code === "BracketRight") { return "indent"; }
    if (event.key === "[" || event.code === "BracketLeft") { return "outdent"; }
    return "";
  }

  /* Replace text in a textarea as if typed: undo (Ctrl+Z) takes it back, and
   * the "input" event updates the preview and marks the form as edited. */
  function replaceText(editor, start, end, text) {
    editor.focus();
    editor.setSelectionRange(start, end);
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      editor.setRangeText(text, start, end, "end");
      editor.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function indentLines(editor, outdent) {
    var value = editor.value;
    var start = editor.selectionStart, end = editor.selectionEnd;
    var first = value.lastIndexOf("\n", start - 1) + 1;
    /* A selection ending at the start of a line leaves that line alone. */
    var stop = end > start && value.charAt(end - 1) === "\n" ? end - 1 : end;
    var last = value.indexOf("\n", stop);
    if (last === -1) { last = value.length; }
    var block = value.slice(first, last);
    var lines = block.split("\n");
    var changed = lines.map(function (line) {
      if (outdent) { return line.replace(/^(?:\t| {1,4})/, ""); }
      return line.trim() ? INDENT + line : line;
    }).join("\n");
    if (changed === block) { return; }
    replaceText(editor, first, last, changed);
    if (start === end) {
      var shift = changed.split("\n")[0].length - lines[0].length;
      var caret = Math.max(first, start + shift);
      editor.setSelectionRange(caret, caret);
    } else {
      editor.setSelectionRange(first, first + changed.length);
    }
  }

  window.addEventListener("keydown", function (event) {
    var editor = event.target;
    if (!isEditor(editor)) { return; }
    if (event.key === "Tab") {
      event.stopPropagation();  /* markdownx never sees it; the browser moves focus */
      return;
    }
    if ((event.ctrlKey || event.metaKey) && (event.key === "d" || event.key === "D")) {
      event.stopPropagation();  /* markdownx would duplicate the line */
      return;
    }
    var action = indentKey(event);
    if (action) {
      event.stopPropagation();
      event.preventDefault();
      indentLines(editor, action === "outdent");
    }
  }, true);

  /* markdownx also asks the server for a fresh preview each time its field
   * gains focus.  Nothing changed, and the new preview would replace the
   * links a keyboard user may be tabbing through, so it only follows typing. */
  window.addEventListener("focusin", function (event) {
    if (isEditor(event.target)) { event.stopPropagation(); }
  }, true);

  function fieldName(editor) {
    var label = editor.id ? document.querySelector("label[for='" + editor.id + "']") : null;
    if (!label) { return ""; }
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".required-marker").forEach(function (mark) { mark.remove(); });
    return copy.textContent.replace(/[\s:*]+$/, "").trim();
  }

  function describedBy(element, id) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) { ids.push(id); }
    element.setAttribute("aria-describedby", ids.join(" "));
  }

  function initField(box) {
    var editor = box.querySelector(".markdownx-editor");
    var preview = box.querySelector(".markdownx-preview");
    if (!editor || !preview || box.dataset.markdownField) { return; }
    box.dataset.markdownField = "1";
    hintCount += 1;
    var base = editor.id || "markdown-" + hintCount;

    var label = document.createElement("p");
    label.className = "preview-label";
    label.id = base + "_preview_label";
    label.textContent = "Preview";
    var name = fieldName(editor);
    if (name) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " of " + name;
      label.appendChild(hidden);
    }
    preview.before(label);
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-labelledby", label.id);
    preview.tabIndex = 0;

    var hint = document.createElement("p");
    hint.className = "help markdown-keys";
    hint.id = base + "_keys";
    hint.textContent = "Tab moves to the next field. Ctrl+] indents the selected " +
      "lines, Ctrl+[ outdents them.";
    box.after(hint);
    describedBy(editor, hint.id);
  }

  function init() {
    document.querySelectorAll(".markdownx").forEach(initField);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
