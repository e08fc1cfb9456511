/* Lineage edit forms: suggestions for page and source fields, adding and
 * ordering formset rows, a summary line under each Markdown preview, the
 * error summary and the preview taking focus, a warning before leaving
 * unsaved work, and one submission per click.  The forms work without it;
 * this makes them quicker.  (Markdown fields' keys: markdown-field.js.)
 */
(function () {
  "use strict";

  /* Suggestions from /autocomplete/<lookup>/?q=...: the combobox of
   * suggest.js (loaded on every page), showing each value with its label
   * under it; picking one puts the value in the field.  Rows added later
   * get theirs when added (the template row, "__prefix__", never does). */
  function initAutocomplete(input) {
    if (input.dataset.autocompleteReady || input.name.indexOf("__prefix__") !== -1) {
      return;
    }
    input.dataset.autocompleteReady = "1";
    if (!window.LineageSuggest) { return; }  /* the field still takes typing */
    var url = input.dataset.autocomplete;
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    window.LineageSuggest.attach(input, {
      minLength: 1,
      navigate: false,
      url: function (query) { return url + sep + "q=" + encodeURIComponent(query); },
      read: function (data) {
        return {
          items: (data.results || []).map(function (item) {
            return { title: item.value, note: item.label || "", value: item.value };
          })
        };
      }
    });
  }

  /* A title that names no page offers, in place, to create that page: its
   * kind's create form (or every kind's) in a new tab, the title filled in.
   * The form here stays as it is; once the page exists, it resolves. */
  function bareTitle(text) { return text.replace(/\s*\([a-z]+\)$/, ""); }

  function fillOffer(offer, title, links, publishes) {
    offer.replaceChildren();
    function link(target, text) {
      var a = document.createElement("a");
      a.href = target.url + (target.url.indexOf("?") === -1 ? "?" : "&") + "title=" + encodeURIComponent(title);
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = text;
      return a;
    }
    if (links.length === 1) {
      offer.append(link(links[0], "Create the " + links[0].label + " “" + title + "”"));
    } else {
      offer.append("Create a page “" + title + "”: ");
      links.forEach(function (target, index) {
        offer.append(link(target, target.label));
        if (index === links.length - 2) { offer.append(" or "); } else if (index < links.length - 1) { offer.append(", "); }
      });
    }
    offer.append(" (opens in a new tab)" + (publishes ? "" : "; you can pick it here once a moderator approves it") + ".");
  }

  function initCreateOffer(input) {
    if (!input.dataset.create || input.dataset.createReady || input.name.indexOf("__prefix__") !== -1) {
      return;
    }
    input.dataset.createReady = "1";
    var links = JSON.parse(input.dataset.create);
    var form = input.closest("form");
    var publishes = form && form.dataset.publishes === "1";
    var offer = document.getElementById(input.id + "_create");
    if (!offer) {
      offer = document.createElement("p");
      offer.className = "create-offer";
      offer.id = input.id + "_create";
      offer.setAttribute("aria-live", "polite");
      var holder = input.closest(".field") || input.parentElement;
      if (holder.classList.contains("combobox")) { holder = holder.parentElement; }
      holder.appendChild(offer);
    }
    var url = input.dataset.autocomplete;
    input.addEventListener("change", function () {
      var typed = input.value.trim().replace(/\s+/g, " ");
      var title = bareTitle(typed);
      if (!title) { offer.replaceChildren(); return; }
      var kind = typed.match(/\(([a-z]+)\)$/);
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(title), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data || bareTitle(input.value.trim().replace(/\s+/g, " ")) !== title) { return; }
        var wanted = title.toLowerCase();
        var known = (data.results || []).some(function (item) {
          return (item.names || [bareTitle(item.value)]).some(function (name) {
            return name.toLowerCase() === wanted;
          });
        });
        if (known) { offer.replaceChildren(); return; }
        var targets = links.filter(function (target) {
          return !kind || target.kind === kind[1];
        });
        fillOffer(offer, title, targets.length ? targets : links, publishes);
      }).catch(function () { /* the server says so on submit */ });
    });
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
      row.querySelectorAll("input[data-create]").forEach(initCreateOffer);
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

  /* One submission per form: a double click sends it once.  A page brought
   * back by the Back button can be sent again. */
  function initSubmitOnce(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted) {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "1";
    });
    window.addEventListener("pageshow", function () { delete form.dataset.submitted; });
  }

  /* The error summary (or, after "Preview" and "Show changes", what they
   * show) takes focus when the page opens, so a keyboard or screen reader
   * user starts there; each error's link moves focus to its field. */
  function focusable(target) {
    if (target.matches("input, select, textarea, button")) {
      if (target.offsetParent !== null) { return target; }
      target = target.closest(".formset-row") || target.parentElement;
    }
    var fields = target.querySelectorAll("input:not([type=hidden]), select, textarea, button");
    for (var i = 0; i < fields.length; i += 1) {
      if (fields[i].offsetParent !== null) { return fields[i]; }
    }
    return null;
  }

  function initErrorSummary(summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      var field = target && focusable(target);
      if (!field) { return; }
      event.preventDefault();
      var label = field.id ? document.querySelector("label[for='" + field.id + "']") : null;
      (label || field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }

  function initFocus() {
    var summary = document.getElementById("error-summary");
    if (summary) { initErrorSummary(summary); }
    var first = summary || document.getElementById("edit-look");
    if (first) { first.focus(); }
  }

  /* Leaving a form with unsaved work asks first (the browser's own dialog);
   * submitting it, or choosing Cancel, does not.  Work is unsaved when a
   * field differs from what the page showed, a row the page has was moved,
   * or the page is the form sent back (after errors or a preview). */
  function fieldValue(element) {
    if (element.type === "checkbox" || element.type === "radio") {
      return element.checked ? "1" : "";
    }
    if (element.tagName === "SELECT" && element.multiple) {
      return Array.prototype.map.call(element.selectedOptions, function (o) { return o.value; }).join("\n");
    }
    return element.value;
  }

  function formState(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled || /-ORDER$/.test(element.name)) { return; }
      if (["hidden", "submit", "button", "reset", "file"].indexOf(element.type) !== -1) { return; }
      values[element.name] = fieldValue(element);
    });
    form.querySelectorAll("fieldset[data-formset]").forEach(function (fieldset) {
      var order = [];
      fieldset.querySelectorAll(".formset-rows > .formset-row").forEach(function (row) {
        var named = row.querySelector("[name]");
        var match = named && named.name.match(/-(\d+)-[^-]+$/);
        if (match) { order.push(match[1]); }
      });
      values["order:" + fieldset.dataset.formset] = order.join(",");
    });
    return values;
  }

  function changedSince(before, now) {
    return Object.keys(now).some(function (name) {
      if (!(name in before)) {
        return name.indexOf("order:") !== 0 && now[name] !== "";  /* a row added */
      }
      if (name.indexOf("order:") === 0) {
        /* A row the page had that moved counts; rows added are seen above. */
        var had = before[name].split(",");
        return now[name].split(",").filter(function (row) {
          return had.indexOf(row) !== -1;
        }).join(",") !== before[name];
      }
      return before[name] !== now[name];
    });
  }

  function initUnsavedWarning(form) {
    var before = formState(form);
    var leaving = false;
    form.addEventListener("submit", function () { leaving = true; });
    form.querySelectorAll("[data-cancel]").forEach(function (cancel) {
      cancel.addEventListener("click", function () { leaving = true; });
    });
    window.addEventListener("pageshow", function () { leaving = false; });
    window.addEventListener("beforeunload", function (event) {
      if (leaving) { return; }
      if (!form.dataset.unsaved && !changedSince(before, formState(form))) { return; }
      event.preventDefault();
      event.returnValue = "";  /* older browsers need it to ask */
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete]").forEach(initAutocomplete);
    document.querySelectorAll("input[data-create]").forEach(initCreateOffer);
    document.querySelectorAll("fieldset[data-formset]").forEach(initFormset);
    document.querySelectorAll(".markdownx").forEach(initPreview);
    document.querySelectorAll("form.edit-form").forEach(function (form) {
      initSubmitOnce(form);
      initUnsavedWarning(form);
    });
    initFocus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
