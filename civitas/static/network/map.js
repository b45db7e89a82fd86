/*
 * Civitas: the interactive map of relationships (Supplement §4.1 b, Figure 3).
 *
 * Reads everything from the #network-map element's data-* attributes (the page has no
 * inline script: the Content-Security-Policy forbids it) and draws the JSON of data-url
 * with Cytoscape.js. Positions come from the server (igraph), so the map uses Cytoscape's
 * "preset" layout and opens quickly even with thousands of stakeholders.
 *
 * When the first frame is drawn the container gets data-ready="true" and
 * data-rendered-ms (milliseconds since the page started loading), which the browser
 * tests and the benchmark wait for.
 */
(function () {
  "use strict";

  var container = document.getElementById("network-map");
  if (!container || typeof window.cytoscape !== "function") {
    return;
  }
  var status = document.getElementById("map-status");
  var toolbar = document.getElementById("map-toolbar");
  var panel = document.getElementById("node-panel");
  var settings = container.dataset;
  var canAdd = settings.canAdd === "true";
  var canSave = settings.canSave === "true";
  var cy = null;
  var data = null;
  var legendBy = {};
  var layoutVersion = null;
  var dirty = false;
  var connectFrom = null;
  var filtered = false;
  // Beyond this many relationships edges are drawn as plain lines ("haystack"): arrows
  // and curves cost too much to draw for thousands of them.
  var ARROW_LIMIT = 3000;

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function indexLegend(legend) {
    legendBy = { kinds: {}, sectors: {}, lfa: {}, levels: {}, types: {} };
    legend.kinds.forEach(function (kind) { legendBy.kinds[kind.code] = kind; });
    legend.sectors.forEach(function (sector) { legendBy.sectors[sector.code] = sector; });
    legend.lfa_roles.forEach(function (role) { legendBy.lfa[role.code] = role; });
    legend.levels.forEach(function (level) { legendBy.levels[level.code] = level; });
    legend.types.forEach(function (type) { legendBy.types[type.code] = type; });
  }

  // ---- Colours and sizes --------------------------------------------------------------

  function colourOf(node, by) {
    if (by === "lfa") {
      var role = legendBy.lfa[node.lfa || ""] || legendBy.lfa[""];
      return role ? role.colour : "#9e9e9e";
    }
    var sector = legendBy.sectors[node.sector];
    return sector ? sector.colour : "#9e9e9e";
  }

  function colourBy() {
    return byId("map-colour") ? byId("map-colour").value : "sector";
  }

  function sizeBy() {
    return byId("map-size") ? byId("map-size").value : "power";
  }

  function applyColours() {
    var by = colourBy();
    cy.batch(function () {
      cy.nodes("[!is_group]").forEach(function (node) {
        node.data("colour", colourOf(node.data(), by));
      });
    });
    drawLegend(by);
  }

  // Return a function giving a stakeholder's diameter (16 to 48 pixels) from its data.
  function sizer(items, by) {
    var highest = by === "power" ? 5 : 0;
    if (!highest) {
      items.forEach(function (d) { highest = Math.max(highest, Number(d[by]) || 0); });
    }
    return function (d) {
      var share = highest > 0 ? (Number(d[by]) || 0) / highest : 0;
      return Math.round(16 + 32 * share);
    };
  }

  function applySizes() {
    var nodes = cy.nodes("[!is_group]");
    var size = sizer(nodes.map(function (node) { return node.data(); }), sizeBy());
    cy.batch(function () {
      nodes.forEach(function (node) {
        node.data("size", size(node.data()));
      });
    });
  }

  function drawLegend(by) {
    var box = byId("legend-nodes");
    if (!box) {
      return;
    }
    box.textContent = "";
    var entries = by === "lfa" ? data.legend.lfa_roles : data.legend.sectors;
    entries.forEach(function (entry) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var swatch = document.createElement("span");
      swatch.className = "node-swatch";
      swatch.style.background = entry.colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.label));
      box.appendChild(item);
    });
  }

  // ---- Filters --------------------------------------------------------------------------

  function checkedKinds() {
    var kinds = [];
    document.querySelectorAll("input[data-kind-filter]").forEach(function (box) {
      if (box.checked) {
        kinds.push(box.value);
      }
    });
    return kinds;
  }

  function applyFilters() {
    var kinds = {};
    var checked = checkedKinds();
    checked.forEach(function (kind) { kinds[kind] = true; });
    var level = byId("map-level") ? byId("map-level").value : "";
    var type = byId("map-type") ? byId("map-type").value : "";
    var hideUnlinked = byId("map-hide-unlinked") ? byId("map-hide-unlinked").checked : false;
    var everything = !level && !type && !hideUnlinked && checked.length === data.legend.kinds.length;
    if (everything && !filtered) {
      // Nothing to hide and nothing hidden: spare restyling every element.
      reportShown();
      return;
    }
    filtered = !everything;
    cy.batch(function () {
      cy.nodes("[!is_group]").forEach(function (node) {
        var d = node.data();
        var shown = (!level || d.levels.indexOf(level) >= 0) &&
          (!type || d.type === type || d.parent_type === type);
        node.toggleClass("filtered", !shown);
      });
      cy.edges().forEach(function (edge) {
        var shown = kinds[edge.data("kind")] &&
          !edge.source().hasClass("filtered") && !edge.target().hasClass("filtered");
        edge.toggleClass("filtered", !shown);
      });
      if (hideUnlinked) {
        cy.nodes("[!is_group]").forEach(function (node) {
          if (!node.hasClass("filtered") && node.connectedEdges(":visible").length === 0) {
            node.addClass("filtered");
          }
        });
      }
      cy.nodes("[?is_group]").forEach(function (group) {
        group.toggleClass("filtered", group.children(":visible").length === 0);
      });
    });
    reportShown();
  }

  function reportShown() {
    var shownNodes = filtered ? cy.nodes("[!is_group]").not(".filtered").length : data.counts.stakeholders;
    var shownEdges = filtered ? cy.edges().not(".filtered").length : data.counts.relationships;
    var note = data.edges.length > ARROW_LIMIT ?
      " Arrows are left out on maps of more than " + ARROW_LIMIT + " relationships, to keep them fast; the panel of a stakeholder says who does what." : "";
    say(shownNodes + " of " + data.counts.stakeholders + " stakeholders and " + shownEdges +
      " of " + data.counts.relationships + " relationships shown." + note);
    updateSvgLink();
  }

  function updateSvgLink() {
    var link = byId("map-svg");
    if (!link) {
      return;
    }
    var query = new URLSearchParams();
    if (settings.initiative) { query.set("initiative", settings.initiative); }
    if (settings.grouping) { query.set("grouping", settings.grouping); }
    var kinds = checkedKinds();
    if (kinds.length !== data.legend.kinds.length) {
      kinds.forEach(function (kind) { query.append("kind", kind); });
    }
    ["level", "type", "colour", "size"].forEach(function (name) {
      var field = byId("map-" + name);
      if (field && field.value) { query.set(name, field.value); }
    });
    var text = query.toString();
    link.href = settings.svgUrl + (text ? "?" + text : "");
  }

  // ---- The side panel -------------------------------------------------------------------

  function addFact(list, term, value) {
    if (value === "" || value === null || value === undefined) {
      return;
    }
    var dt = document.createElement("dt");
    dt.textContent = term;
    var dd = document.createElement("dd");
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function labels(codes, table) {
    return codes.map(function (code) {
      return table[code] ? (table[code].label || table[code].name) : code.replace(/_/g, " ");
    }).join(", ");
  }

  function stakeholderUrl(id) {
    return data.links.stakeholder.replace("{id}", id);
  }

  function link(text, href) {
    var anchor = document.createElement("a");
    anchor.textContent = text;
    anchor.href = href;
    return anchor;
  }

  function relationshipLine(edge, node) {
    var d = edge.data();
    var kind = legendBy.kinds[d.kind] || { label: d.kind, passive: d.kind };
    var outgoing = edge.source().id() === node.id();
    var other = outgoing ? edge.target() : edge.source();
    var item = document.createElement("li");
    var phrase = outgoing || d.direction === "mutual" ? kind.label.toLowerCase() : kind.passive;
    item.appendChild(document.createTextNode(phrase + " "));
    var anchor = link(other.data("name"), "#");
    anchor.addEventListener("click", function (event) {
      event.preventDefault();
      focusNode(other);
    });
    item.appendChild(anchor);
    if (d.direction === "mutual") {
      item.appendChild(document.createTextNode(" (both ways)"));
    }
    item.appendChild(document.createTextNode(" · strength " + d.strength));
    return item;
  }

  function openPanel(node) {
    if (!panel) {
      return;
    }
    var d = node.data();
    byId("node-panel-name").textContent = d.name;
    var facts = byId("node-panel-facts");
    facts.textContent = "";
    var type = legendBy.types[d.type];
    addFact(facts, "Type", type ? type.name : d.type_name);
    addFact(facts, "Sector", legendBy.sectors[d.sector] ? legendBy.sectors[d.sector].label : d.sector);
    addFact(facts, "Levels", labels(d.levels, legendBy.levels) || "—");
    addFact(facts, "LFA roles", labels(d.lfa_roles, legendBy.lfa) || "not categorized");
    addFact(facts, "Technology roles", d.technology_roles.map(function (r) { return r.replace(/_/g, " "); }).join(", ") || "—");
    addFact(facts, "Power · interest · attitude", d.power + " · " + d.interest + " · " +
      (d.attitude > 0 ? "+" : "") + d.attitude + (d.categorized ? "" : " (type defaults)"));
    addFact(facts, "Related to", d.degree + " stakeholder" + (d.degree === 1 ? "" : "s") +
      " (" + d.relationships + " relationship" + (d.relationships === 1 ? "" : "s") + ")");
    addFact(facts, "Betweenness", Number(d.betweenness).toFixed(3));
    addFact(facts, "PageRank", Number(d.pagerank).toFixed(4));
    addFact(facts, "Eigenvector centrality", Number(d.eigenvector).toFixed(3));
    addFact(facts, "Community", d.community ? String(d.community) : "none (isolated)");
    var notes = [];
    if (d.broker) { notes.push("broker"); }
    if (d.voiceless) { notes.push("influence without voice"); }
    if (d.degree === 0) { notes.push("isolated"); }
    addFact(facts, "Stands out as", notes.join(", "));
    var list = byId("node-panel-relationships");
    list.textContent = "";
    var edges = node.connectedEdges();
    if (!edges.length) {
      var none = document.createElement("li");
      none.textContent = "No relationship yet.";
      list.appendChild(none);
    }
    edges.forEach(function (edge) { list.appendChild(relationshipLine(edge, node)); });
    var actions = byId("node-panel-actions");
    actions.textContent = "";
    actions.appendChild(link("Open the stakeholder's page", stakeholderUrl(d.id)));
    if (canAdd) {
      var query = new URLSearchParams({ source: d.id, next: settings["return"] || "" });
      actions.appendChild(link("Add a relationship from here", settings.newRelationshipUrl + "?" + query.toString()));
      var connect = document.createElement("button");
      connect.type = "button";
      connect.className = "secondary outline";
      connect.textContent = "Connect to…";
      connect.addEventListener("click", function () {
        connectFrom = d.id;
        say("Click the stakeholder that “" + d.name + "” relates to (Escape cancels).");
      });
      actions.appendChild(connect);
    }
    panel.hidden = false;
    panel.focus();
  }

  function closePanel() {
    if (panel) {
      panel.hidden = true;
    }
    if (cy) {
      cy.elements().removeClass("faded highlighted");
    }
  }

  function focusNode(node) {
    if (!node || !node.length) {
      return;
    }
    cy.elements().removeClass("highlighted").addClass("faded");
    var neighbourhood = node.closedNeighborhood();
    neighbourhood.removeClass("faded").addClass("highlighted");
    node.ancestors().removeClass("faded");
    cy.$(":selected").unselect();
    node.select();
    cy.animate({ fit: { eles: neighbourhood, padding: 80 }, duration: 300 });
    openPanel(node);
  }

  // ---- Layout: save, reset --------------------------------------------------------------

  function post(body) {
    return fetch(settings.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": settings.csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) {
        return { ok: response.ok, status: response.status, json: json };
      });
    });
  }

  function saveLayout() {
    var positions = {};
    cy.nodes("[!is_group]").forEach(function (node) {
      var p = node.position();
      positions[node.id()] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
    });
    say("Saving the layout…");
    post({
      initiative: settings.initiative || null,
      grouping: settings.grouping || "",
      version: layoutVersion,
      positions: positions
    }).then(function (result) {
      if (result.ok) {
        layoutVersion = result.json.version;
        dirty = false;
        byId("map-save").disabled = true;
        say("Layout saved for everyone in the city.");
      } else {
        say(result.json.detail || "The layout could not be saved.");
      }
    }).catch(function () {
      say("The layout could not be saved: the server did not answer.");
    });
  }

  function resetLayout() {
    if (!window.confirm("Forget the saved positions and show the computed layout again?")) {
      return;
    }
    post({ action: "reset", initiative: settings.initiative || null, grouping: settings.grouping || "" })
      .then(function (result) {
        if (result.ok) {
          say("Back to the computed layout.");
          load();
        } else {
          say(result.json.detail || "The layout could not be reset.");
        }
      });
  }

  function downloadPng() {
    var blob = cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = (data.city || "map") + "-map.png";
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ---- Drawing --------------------------------------------------------------------------

  function style(large) {
    var edge = large ? {
      "width": "mapData(strength, 1, 3, 0.5, 2)",
      "line-color": "data(colour)",
      "curve-style": "haystack",
      "haystack-radius": 0,
      "opacity": 0.6
    } : {
      "width": "mapData(strength, 1, 3, 1, 4)",
      "line-color": "data(colour)",
      "line-style": "data(line)",
      "target-arrow-color": "data(colour)",
      "source-arrow-color": "data(colour)",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
      "opacity": 0.75
    };
    return [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          "width": "data(size)",
          "height": "data(size)",
          "label": "data(name)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          "min-zoomed-font-size": 7,
          "border-width": 1,
          "border-color": "#ffffff"
        }
      },
      {
        selector: "node[?is_group]",
        style: {
          "background-color": "#eef1f4",
          "background-opacity": 0.6,
          "border-color": "#b0bec5",
          "border-width": 1,
          "shape": "round-rectangle",
          "label": "data(name)",
          "text-valign": "top",
          "text-halign": "center",
          "font-size": 14,
          "font-weight": "bold",
          "padding": 20
        }
      },
      { selector: "node[?broker]", style: { "border-width": 3, "border-color": "#37474f" } },
      { selector: "node[?voiceless]", style: { "border-width": 3, "border-color": "#c62828", "border-style": "dashed" } },
      { selector: "edge", style: edge },
      { selector: "edge[direction = 'mutual']", style: large ? {} : { "source-arrow-shape": "triangle" } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "node.highlighted", style: { "opacity": 1 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } }
    ];
  }

  function prepare(json) {
    json.edges.forEach(function (edge) {
      var kind = legendBy.kinds[edge.data.kind];
      edge.data.colour = kind ? kind.colour : "#757575";
      edge.data.line = kind ? kind.line : "solid";
    });
    var people = json.nodes.filter(function (node) { return !node.data.is_group; });
    var by = colourBy();
    var size = sizer(people.map(function (node) { return node.data; }), sizeBy());
    people.forEach(function (node) {
      node.data.colour = colourOf(node.data, by);
      node.data.size = size(node.data);
    });
    return json.nodes.concat(json.edges);
  }

  function draw(json) {
    data = json;
    indexLegend(json.legend);
    layoutVersion = json.layout.version;
    var elements = prepare(json);
    var large = json.nodes.length > 1000 || json.edges.length > ARROW_LIMIT;
    filtered = false;
    if (cy) {
      cy.destroy();
    }
    cy = window.cytoscape({
      container: container,
      elements: elements,
      layout: { name: "preset", fit: true, padding: 30 },
      style: style(json.edges.length > ARROW_LIMIT),
      minZoom: 0.02,
      maxZoom: 4,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto"
    });
    drawLegend(colourBy());
    applyFilters();
    cy.one("render", function () {
      if (!container.dataset.ready) {
        container.dataset.renderedMs = String(Math.round(performance.now()));
        container.dataset.ready = "true";
      }
    });
    cy.on("tap", "node[!is_group]", function (event) {
      var node = event.target;
      if (connectFrom && connectFrom !== node.id()) {
        var query = new URLSearchParams({ source: connectFrom, target: node.id(), next: settings["return"] || "" });
        window.location.href = settings.newRelationshipUrl + "?" + query.toString();
        return;
      }
      focusNode(node);
    });
    cy.on("tap", function (event) {
      if (event.target === cy) {
        connectFrom = null;
        closePanel();
        cy.$(":selected").unselect();
      }
    });
    cy.on("dragfree", "node", function () {
      if (canSave && !dirty) {
        dirty = true;
        var button = byId("map-save");
        if (button) {
          button.disabled = false;
        }
        say("You moved stakeholders. Save the layout to keep it for everyone.");
      }
    });
    fillTypes(json.legend.types);
    var names = byId("map-names");
    if (names) {
      names.textContent = "";
      json.nodes.forEach(function (node) {
        if (!node.data.is_group) {
          var option = document.createElement("option");
          option.value = node.data.name;
          names.appendChild(option);
        }
      });
    }
    if (toolbar) {
      toolbar.hidden = false;
    }
    if (settings.focus) {
      focusNode(cy.getElementById(settings.focus));
    }
  }

  function fillTypes(types) {
    var select = byId("map-type");
    if (!select) {
      return;
    }
    var chosen = select.value;
    while (select.options.length > 1) {
      select.remove(1);
    }
    types.forEach(function (type) {
      var option = document.createElement("option");
      option.value = type.code;
      option.textContent = type.name;
      option.selected = type.code === chosen;
      select.appendChild(option);
    });
  }

  function load() {
    say("Loading the map…");
    fetch(settings.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(draw)
      .catch(function () {
        say("The map could not be loaded. Reload the page to try again.");
      });
  }

  function findByName(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) {
      return null;
    }
    var exact = cy.nodes("[!is_group]").filter(function (node) {
      return node.data("name").toLowerCase() === wanted;
    });
    if (exact.length) {
      return exact[0];
    }
    var partial = cy.nodes("[!is_group]").filter(function (node) {
      return node.data("name").toLowerCase().indexOf(wanted) >= 0;
    });
    return partial.length ? partial[0] : null;
  }

  // ---- Controls -------------------------------------------------------------------------

  function on(id, event, handler) {
    var element = byId(id);
    if (element) {
      element.addEventListener(event, handler);
    }
  }

  on("map-colour", "change", function () { applyColours(); updateSvgLink(); });
  on("map-size", "change", function () { applySizes(); updateSvgLink(); });
  on("map-level", "change", applyFilters);
  on("map-type", "change", applyFilters);
  on("map-hide-unlinked", "change", applyFilters);
  document.querySelectorAll("input[data-kind-filter]").forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  on("map-fit", "click", function () { cy.fit(cy.elements(":visible"), 30); });
  on("map-save", "click", saveLayout);
  on("map-reset", "click", resetLayout);
  on("map-png", "click", downloadPng);
  on("node-panel-close", "click", closePanel);
  on("map-search", "submit", function (event) {
    event.preventDefault();
    var node = findByName(byId("map-search-input").value);
    if (node) {
      focusNode(node);
    } else {
      say("No stakeholder on this map matches “" + byId("map-search-input").value + "”.");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      connectFrom = null;
      closePanel();
    }
  });
  // The analysis beside the map arrives later (htmx): listen on the document.
  document.addEventListener("click", function (event) {
    var anchor = event.target.closest ? event.target.closest("[data-focus-node]") : null;
    if (!anchor || !cy) {
      return;
    }
    var node = cy.getElementById(anchor.getAttribute("data-focus-node"));
    if (node.length) {
      event.preventDefault();
      node.removeClass("filtered");
      focusNode(node);
      container.scrollIntoView({ behavior: "smooth", block: "center" });
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && canSave) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  load();
}());
