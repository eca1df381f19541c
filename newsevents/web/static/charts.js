/* Charts of the newsevents web UI: the timeline (overview and dyad pages) and the actor network.
   Data comes from <script type="application/json"> blocks on the page; text only ever goes in
   through textContent (d3's .text), never as HTML. Stored text (actor codes and names) is
   isolated, so that bidirectional controls in it cannot reorder what surrounds it: in a <bdi>
   element in HTML, between U+2068 and U+2069 in SVG text and titles. */
(function () {
  "use strict";

  const QUADS = [
    { key: "verbal_coop", q: 1, name: "Verbal cooperation" },
    { key: "material_coop", q: 2, name: "Material cooperation" },
    { key: "verbal_conflict", q: 3, name: "Verbal conflict" },
    { key: "material_conflict", q: 4, name: "Material conflict" },
  ];

  function readData(id) {
    const node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* A <bdi> element holding a piece of stored text. */
  function bdi(text) {
    const node = document.createElement("bdi");
    node.textContent = text;
    return node;
  }

  /* Stored text isolated for where no element can go (SVG text and titles). */
  function isolate(text) {
    return "\u2068" + text + "\u2069";
  }

  function signed(value) {
    return value === null || value === undefined ? "n/a" : (value > 0 ? "+" : "") + value.toFixed(2);
  }

  /* A tooltip <div> inside the chart's container, filled with [label, value] lines; a label
     is a string or a list of strings and nodes (a <bdi> for stored text). */
  function makeTooltip(container) {
    const tip = document.createElement("div");
    tip.className = "tooltip";
    tip.hidden = true;
    container.appendChild(tip);
    return {
      show(title, lines, event) {
        tip.replaceChildren();
        const head = document.createElement("b");
        head.textContent = title;
        tip.appendChild(head);
        for (const [label, value] of lines) {
          tip.appendChild(document.createElement("br"));
          tip.append(...[].concat(label), ": " + value);
        }
        tip.hidden = false;
        const [px, py] = d3.pointer(event, container);
        const left = Math.min(px + 14, container.clientWidth - tip.offsetWidth - 4);
        tip.style.left = Math.max(0, left) + "px";
        tip.style.top = Math.max(0, py - tip.offsetHeight - 10) + "px";
      },
      hide() {
        tip.hidden = true;
      },
    };
  }

  function fillLink(template, period) {
    return template
      .replace("{period}", encodeURIComponent(period.period))
      .replace("{start}", encodeURIComponent(period.start))
      .replace("{end}", encodeURIComponent(period.end));
  }

  /* Stacked bars of events per period by QuadClass, and the mean Goldstein score as a line
     with one point per period. Hover shows the counts; click opens the period's events. */
  function drawTimeline(el) {
    const periods = readData(el.dataset.timeline) || [];
    if (!periods.length) {
      el.textContent = "No dated events.";
      el.classList.add("empty");
      el.dataset.ready = "1";
      return;
    }
    const width = Math.max(480, el.clientWidth || 900);
    const height = 290;
    const m = { top: 16, right: 52, bottom: 36, left: 46 };
    const parse = d3.utcParse("%Y-%m-%d");
    const starts = periods.map((p) => parse(p.start));
    const ends = periods.map((p) => d3.utcDay.offset(parse(p.end), 1));
    const x = d3.scaleUtc().domain([d3.min(starts), d3.max(ends)]).range([m.left, width - m.right]);
    const maxCount = d3.max(periods, (p) => p.events) || 1;
    const yCount = d3.scaleLinear().domain([0, maxCount * 1.08]).nice().range([height - m.bottom, m.top]);
    const yGold = d3.scaleLinear().domain([-10, 10]).range([height - m.bottom, m.top]);
    const svg = d3
      .select(el)
      .append("svg")
      .attr("viewBox", `0 0 ${width} ${height}`)
      .attr("role", "img")
      .attr("aria-label", "Events per period by QuadClass, and the mean Goldstein score");

    svg.append("g").attr("class", "grid")
      .attr("transform", `translate(${m.left},0)`)
      .call(d3.axisLeft(yCount).ticks(5).tickSize(-(width - m.left - m.right)).tickFormat(""));
    svg.append("line").attr("class", "zero-line")
      .attr("x1", m.left).attr("x2", width - m.right).attr("y1", yGold(0)).attr("y2", yGold(0));

    const slots = periods.map((p, i) => {
      const x0 = x(starts[i]);
      const x1 = x(ends[i]);
      const w = Math.max(3, (x1 - x0) * 0.78);
      return { p, x0, x1, mid: (x0 + x1) / 2, barX: (x0 + x1) / 2 - w / 2, w };
    });
    const bars = svg.append("g").attr("class", "bars");
    for (const s of slots) {
      let below = 0;
      for (const q of QUADS) {
        const n = s.p.counts[q.key];
        if (!n) continue;
        bars.append("rect").attr("class", `bar q${q.q}`)
          .attr("x", s.barX).attr("width", s.w)
          .attr("y", yCount(below + n)).attr("height", yCount(below) - yCount(below + n));
        below += n;
      }
    }

    const withMean = slots.filter((s) => s.p.goldstein_mean !== null);
    svg.append("path").attr("class", "goldstein-line")
      .attr("d", d3.line().x((s) => s.mid).y((s) => yGold(s.p.goldstein_mean))(withMean));
    svg.append("g").attr("class", "points").selectAll("circle").data(withMean).join("circle")
      .attr("class", "point").attr("r", 3.5)
      .attr("cx", (s) => s.mid).attr("cy", (s) => yGold(s.p.goldstein_mean))
      .attr("data-period", (s) => s.p.period);

    svg.append("g").attr("class", "axis x")
      .attr("transform", `translate(0,${height - m.bottom})`)
      .call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickSizeOuter(0));
    svg.append("g").attr("class", "axis y-count")
      .attr("transform", `translate(${m.left},0)`)
      .call(d3.axisLeft(yCount).ticks(Math.min(5, maxCount)).tickFormat(d3.format("d")));
    svg.append("g").attr("class", "axis y-goldstein")
      .attr("transform", `translate(${width - m.right},0)`)
      .call(d3.axisRight(yGold).ticks(5).tickFormat(d3.format("+d")));
    svg.append("text").attr("class", "axis-label").attr("x", 4).attr("y", m.top - 4).text("events");
    svg.append("text").attr("class", "axis-label").attr("text-anchor", "end")
      .attr("x", width - 2).attr("y", m.top - 4).text("Goldstein");

    const tip = makeTooltip(el);
    const actors = readData(el.dataset.actors);
    const link = el.dataset.link;
    const selected = el.dataset.selected || "";
    svg.append("g").attr("class", "hits").selectAll("rect").data(slots).join("rect")
      .attr("class", (s) => "hit" + (s.p.period === selected ? " selected" : ""))
      .attr("data-period", (s) => s.p.period)
      .attr("x", (s) => Math.min(s.x0, s.mid - 5)).attr("width", (s) => Math.max(10, s.x1 - s.x0))
      .attr("y", m.top).attr("height", height - m.top - m.bottom)
      .on("mousemove", (event, s) => {
        const lines = [["events", s.p.events]];
        for (const q of QUADS) lines.push([q.name, s.p.counts[q.key]]);
        if (actors && s.p.a_to_b !== null) {
          lines.push([[bdi(actors[0]), " → ", bdi(actors[1])], s.p.a_to_b]);
          lines.push([[bdi(actors[1]), " → ", bdi(actors[0])], s.p.b_to_a]);
        }
        lines.push(["Goldstein mean", signed(s.p.goldstein_mean)]);
        lines.push(["Goldstein sum", signed(s.p.goldstein_sum)]);
        tip.show(s.p.period, lines, event);
      })
      .on("mouseleave", () => tip.hide())
      .on("click", (event, s) => {
        if (link) window.location.assign(fillLink(link, s.p));
      });
    el.dataset.ready = "1";
  }

  /* The actor, its partners and the events among them, laid out by a force simulation run to
     rest before drawing (so the picture does not move). */
  function drawNetwork(el) {
    const data = readData(el.dataset.network);
    if (!data || data.nodes.length < 2) {
      el.textContent = "No partners to draw.";
      el.classList.add("empty");
      el.dataset.ready = "1";
      return;
    }
    const width = Math.max(360, el.clientWidth || 600);
    const height = 400;
    const nodes = data.nodes.map((d) => Object.assign({ id: d.code }, d));
    const edges = data.edges.map((d) => ({ source: d.a, target: d.b, events: d.events, mean: d.goldstein_mean }));
    const focus = nodes.find((n) => n.code === data.focus);
    if (focus) {
      focus.fx = width / 2;
      focus.fy = height / 2;
    }
    const sim = d3.forceSimulation(nodes)
      .force("link", d3.forceLink(edges).id((d) => d.id).distance(120).strength(0.3))
      .force("charge", d3.forceManyBody().strength(-360))
      .force("collide", d3.forceCollide(30))
      .force("x", d3.forceX(width / 2).strength(0.06))
      .force("y", d3.forceY(height / 2).strength(0.1))
      .stop();
    for (let i = 0; i < 300; i += 1) sim.tick();
    const pad = 40;
    const minX = d3.min(nodes, (n) => n.x) - pad;
    const minY = d3.min(nodes, (n) => n.y) - pad;
    const boxW = Math.max(240, d3.max(nodes, (n) => n.x) + pad - minX);
    const boxH = Math.max(200, d3.max(nodes, (n) => n.y) + pad - minY);
    const colour = d3.scaleLinear().domain([-5, 0, 5]).range(["#cf222e", "#8c959f", "#0a58ca"]).clamp(true);
    const maxEdge = d3.max(edges, (e) => e.events) || 1;
    const widthOf = d3.scaleSqrt().domain([1, maxEdge]).range([1.5, 9]);
    const maxNode = d3.max(nodes, (n) => n.events) || 1;
    const radius = d3.scaleSqrt().domain([0, maxNode]).range([7, 24]);
    const svg = d3.select(el).append("svg").attr("viewBox", `${minX} ${minY} ${boxW} ${boxH}`)
      .attr("role", "img").attr("aria-label", "Network of the actor and its partners");
    svg.append("g").selectAll("line").data(edges).join("line")
      .attr("class", "edge")
      .attr("x1", (e) => e.source.x).attr("y1", (e) => e.source.y)
      .attr("x2", (e) => e.target.x).attr("y2", (e) => e.target.y)
      .attr("stroke", (e) => (e.mean === null ? "#8c959f" : colour(e.mean)))
      .attr("stroke-opacity", 0.75)
      .attr("stroke-width", (e) => widthOf(e.events))
      .append("title").text((e) => `${isolate(e.source.code)} – ${isolate(e.target.code)}: ${e.events} events, mean Goldstein ${signed(e.mean)}`);
    const node = svg.append("g").selectAll("g").data(nodes).join("g")
      .attr("transform", (n) => `translate(${n.x},${n.y})`);
    node.append("circle")
      .attr("class", (n) => "node" + (n.code === data.focus ? " focus" : ""))
      .attr("data-code", (n) => n.code)
      .attr("r", (n) => radius(n.events))
      .on("click", (event, n) => window.location.assign("/actor/" + encodeURIComponent(n.code)))
      .append("title").text((n) => `${isolate(n.code)} ${isolate(n.name)}: ${n.events} events`);
    node.append("text").attr("text-anchor", "middle")
      .attr("dy", (n) => radius(n.events) + 12).text((n) => isolate(n.code));
    el.dataset.ready = "1";
  }

  document.querySelectorAll("[data-timeline]").forEach(drawTimeline);
  document.querySelectorAll("[data-network]").forEach(drawNetwork);
})();
