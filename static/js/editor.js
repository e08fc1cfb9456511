/* Lineage edit forms: suggestions for page and source fields, adding and
 * ordering formset rows, a summary line under each Markdown preview, and one
 * submission per click.  The forms work without it; this makes them quicker.
 */
(function () {
  "use strict";

  var DELAY = 200;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, wait);
    };
  }

  /* Autocomplete: fill a <datalist> from /autocomplete/<lookup>/?q=... */
  var listCount = 0;
  function initAutocomplete(input) {
    if (input.dataset.autocompleteReady || input.name.indexOf("__prefix__") !== -1) {
      return;
    }
    input.dataset.autocompleteReady = "1";
    var list = document.createElement("datalist");
    listCount += 1;
    list.id = "suggestions-" + listCount;
    input.after(list);
    input.setAttribute("list", list.id);
    var url = input.dataset.autocomplete;
    var lastQuery = null;
    input.addEventListener("input", debounce(function () {
      var query = input.value.trim();
      if (!query || query === lastQuery) { return; }
      lastQuery = query;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        list.replaceChildren();
        (data.results || []).forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.value;
          option.label = item.label || "";
          list.appendChild(option);
        });
      }).catch(function () { /* suggestions are a convenience */ });
    }, DELAY));
  }

  /* Formsets: add rows from the <template>, move rows, keep ORDER in step. */
  function renumber(fieldset) {
    var position = 1;
    fieldset.querySelectorAll(".formset-rows > .formset-row").forEach(function (row) {
      var order = row.querySelector("input[name$='-ORDER']");
      if (order) { order.value = String(position); }
      position += 1;
    });
  }

  function addRowControls(fieldset, row) {
    var controls = row.querySelector(".row-controls");
    if (!controls || controls.querySelector(".move")) { return; }
    if (!row.querySelector("input[name$='-ORDER']")) { return; }  /* unordered rows */
    [["↓", "Move down", 1], ["↑", "Move up", -1]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "move";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", function () {
        var sibling = spec[2] < 0 ? row.previousElementSibling : row.nextElementSibling;
        if (!sibling) { return; }
        if (spec[2] < 0) { sibling.before(row); } else { sibling.after(row); }
        renumber(fieldset);
        button.focus();
      });
      controls.prepend(button);
    });
  }

  function initFormset(fieldset) {
    var prefix = fieldset.dataset.formset;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template.formset-template");
    var rows = fieldset.querySelector(".formset-rows");
    if (!total || !template || !rows) { return; }
    fieldset.classList.add("js-formset");
    rows.querySelectorAll(".formset-row").forEach(function (row) {
      addRowControls(fieldset, row);
    });
    var add = document.createElement("button");
    add.type = "button";
    add.className = "add-row";
    add.textContent = "Add a row";
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("ol");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      addRowControls(fieldset, row);
      renumber(fieldset);
      row.querySelectorAll("input[data-autocomplete]").forEach(initAutocomplete);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
    fieldset.appendChild(add);
  }

  /* Under each Markdown preview: what the renderer flagged. */
  function describePreview(preview, status) {
    var missing = [];
    preview.querySelectorAll("a.wikilink-missing").forEach(function (link) {
      var title = (link.getAttribute("title") || link.textContent).replace(/ \(page does not exist\)$/, "");
      if (missing.indexOf(title) === -1) { missing.push(title); }
    });
    var unknown = [];
    preview.querySelectorAll(".cite-unknown").forEach(function (marker) {
      var key = marker.textContent.replace(/^\[unknown source: /, "").replace(/\]$/, "");
      if (unknown.indexOf(key) === -1) { unknown.push(key); }
    });
    var parts = [];
    if (missing.length) {
      parts.push(missing.length + (missing.length === 1 ? " link to a missing page: " : " links to missing pages: ") + missing.join(", "));
    }
    if (unknown.length) {
      parts.push(unknown.length + (unknown.length === 1 ? " unknown citation key: " : " unknown citation keys: ") + unknown.join(", "));
    }
    status.textContent = parts.length ? "Check: " + parts.join("; ") + "." : "Preview: links and citations all resolve.";
    status.classList.toggle("preview-warning", parts.length > 0);
  }

  function initPreview(box) {
    var preview = box.querySelector(".markdownx-preview");
    if (!preview || box.dataset.previewReady) { return; }
    box.dataset.previewReady = "1";
    var label = document.createElement("p");
    label.className = "preview-label";
    label.textContent = "Preview";
    preview.before(label);
    var status = document.createElement("p");
    status.className = "preview-status";
    status.setAttribute("aria-live", "polite");
    preview.after(status);
    box.addEventListener("markdownx.update", function () { describePreview(preview, status); });
    box.addEventListener("markdownx.updateError", function () {
      status.textContent = "The preview could not be shown (is the text too long?).";
      status.classList.add("preview-warning");
    });
  }

  /* One submission per form: a double click sends it once. */
  function initSubmitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete]").forEach(initAutocomplete);
    document.querySelectorAll("fieldset[data-formset]").forEach(initFormset);
    document.querySelectorAll(".markdownx").forEach(initPreview);
    document.querySelectorAll("form.edit-form").forEach(initSubmitOnce);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
