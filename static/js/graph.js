// The relationship graph of a page (templates/includes/graph.html): the
// pages one and two steps away, drawn with Cytoscape.js (static/vendor/,
// built from frontend/ by `make install`) from the page's graph.json.
// Without scripts, or if drawing fails, the list of the same pages is there.
(function () {
  "use strict";

  // Colours by kind, in the order graph.json lists kinds: dark enough for
  // white-outlined labels, told apart in the legend by name too.
  const PALETTE = ["#1f57b8", "#b3261e", "#2f6f4f", "#8a5a00", "#6a3fa0", "#00727a"];

  function loadLibrary(src) {
    if (window.cytoscape) return Promise.resolve(window.cytoscape);
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window.cytoscape); };
      script.onerror = reject;
      document.head.append(script);
    });
  }

  // Cytoscape adds a <style> element unless one with this id is in the
  // document already; the site's CSP (style-src 'self') refuses inline
  // styles, so an empty placeholder stands in and lineage.css gives the
  // container the position: relative that element would have.
  function withoutInjectedStyle() {
    const id = "__________cytoscape_stylesheet";
    if (!document.getElementById(id)) {
      const placeholder = document.createElement("meta");
      placeholder.id = id;
      document.head.append(placeholder);
    }
  }

  function shortened(text) {
    return text.length > 32 ? text.slice(0, 30).trimEnd() + "…" : text;
  }

  function elementsOf(data, colours) {
    const nodes = data.nodes.map(function (node) {
      return {
        data: {
          id: node.id,
          label: shortened(node.short_title),
          url: node.url,
          step: node.step,
          colour: colours[node.kind] || "#5b5f66",
        },
        classes: "step-" + node.step,
      };
    });
    const edges = data.edges.map(function (edge, index) {
      return {data: {id: "e" + index, source: edge.source, target: edge.target}};
    });
    return nodes.concat(edges);
  }

  const STYLE = [
    {
      selector: "node",
      style: {
        "background-color": "data(colour)",
        "label": "data(label)",
        "font-size": 9,
        "color": "#1d1d1f",
        "text-outline-color": "#fdfdfc",
        "text-outline-width": 2,
        "text-valign": "bottom",
        "text-margin-y": 3,
        // A label opens its page as its dot does (a bigger target).
        "text-events": "yes",
        "width": 14,
        "height": 14,
      },
    },
    {selector: "node.step-0", style: {"width": 26, "height": 26, "font-size": 12, "font-weight": "bold"}},
    {selector: "node.step-1", style: {"width": 18, "height": 18, "font-size": 10}},
    // Labels two steps away show once zoomed in.
    {selector: "node.step-2", style: {"opacity": 0.85, "font-size": 8, "min-zoomed-font-size": 8}},
    {selector: "edge", style: {"width": 1, "line-color": "#b8bbb5", "curve-style": "haystack"}},
    {selector: "node:active, node:selected", style: {"border-width": 3, "border-color": "#b35c00"}},
  ];

  function legend(list, data, colours) {
    const present = new Set(data.nodes.map(function (node) { return node.kind; }));
    data.kinds.forEach(function (kind) {
      if (!present.has(kind.kind)) return;
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "graph-swatch";
      swatch.style.backgroundColor = colours[kind.kind];
      item.append(swatch, document.createTextNode(kind.plural));
      list.append(item);
    });
  }

  function draw(view) {
    const answer = fetch(view.dataset.graphSrc, {headers: {Accept: "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error("graph.json answered " + response.status);
        return response.json();
      });
    Promise.all([answer, loadLibrary(view.dataset.library)]).then(function (results) {
      const data = results[0];
      const cytoscape = results[1];
      if (data.nodes.length < 2) return;  // nothing connected: nothing to draw
      const colours = {};
      data.kinds.forEach(function (kind, index) {
        colours[kind.kind] = PALETTE[index % PALETTE.length];
      });
      withoutInjectedStyle();
      view.hidden = false;
      const cy = cytoscape({
        container: view.querySelector(".graph-canvas"),
        elements: elementsOf(data, colours),
        style: STYLE,
        layout: {name: "cose", animate: false, nodeDimensionsIncludeLabels: true, padding: 12},
        minZoom: 0.2,
        maxZoom: 4,
      });
      // The wheel scrolls the page, as everywhere else on it; with Ctrl (or
      // Cmd) held it zooms the drawing. Cytoscape captures wheel events on
      // its container: the view around it captures them first, and keeps a
      // plain wheel from reaching it. Pinching still zooms.
      view.addEventListener("wheel", function (event) {
        if (!event.ctrlKey && !event.metaKey) event.stopPropagation();
      }, {capture: true});
      cy.on("tap", "node", function (event) {
        const url = event.target.data("url");
        if (url && url !== window.location.pathname) window.location.assign(url);
      });
      legend(view.querySelector(".graph-legend"), data, colours);
      view.lineageGraph = cy;  // for the browser tests
      view.dataset.drawnNodes = String(cy.nodes().length);
    }).catch(function () {
      view.hidden = true;  // the list stays: nothing is lost
    });
  }

  document.querySelectorAll("[data-graph-src]").forEach(draw);
})();
