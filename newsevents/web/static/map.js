/* The events map: country shapes from the world-atlas npm package (Natural Earth 1:110m,
   served by this app), one circle per place and QuadClass. Nothing is fetched from elsewhere.
   Stored text (place names, countries) goes in through textContent, each piece in a <bdi> of
   its own, so that bidirectional controls in it cannot reorder what surrounds it. */
(function () {
  "use strict";

  const QUADS = [
    { key: "verbal_coop", q: 1, name: "Verbal cooperation" },
    { key: "material_coop", q: 2, name: "Material cooperation" },
    { key: "verbal_conflict", q: 3, name: "Verbal conflict" },
    { key: "material_conflict", q: 4, name: "Material conflict" },
  ];

  function bdi(text) {
    const node = document.createElement("bdi");
    node.textContent = text;
    return node;
  }

  function markersOf(places) {
    const markers = [];
    for (const place of places) {
      const present = QUADS.filter((q) => place.counts[q.key] > 0);
      present.forEach((q, i) => {
        markers.push({ place, quad: q, count: place.counts[q.key], slot: i, slots: present.length });
      });
    }
    return markers;
  }

  async function drawMap(el) {
    const places = JSON.parse(document.getElementById(el.dataset.map).textContent);
    const width = Math.max(480, el.clientWidth || 960);
    const height = Math.round(width * 0.52);
    const svg = d3.select(el).append("svg").attr("viewBox", `0 0 ${width} ${height}`)
      .attr("role", "img").attr("aria-label", "Map of events by place and QuadClass");
    const projection = d3.geoNaturalEarth1().fitExtent([[8, 8], [width - 8, height - 8]], { type: "Sphere" });
    const path = d3.geoPath(projection);
    const world = svg.append("g").attr("class", "world");
    world.append("path").attr("class", "sphere").attr("d", path({ type: "Sphere" }));
    world.append("path").attr("class", "graticule").attr("d", path(d3.geoGraticule10()));
    try {
      const response = await fetch("/vendor/countries-110m.json");
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      const topo = await response.json();
      const countries = topojson.feature(topo, topo.objects.countries).features;
      world.append("g").selectAll("path").data(countries).join("path")
        .attr("class", "country").attr("d", path)
        .append("title").text((d) => (d.properties && d.properties.name) || "");
    } catch (error) {
      el.dataset.shapes = "missing";
    }

    const markers = markersOf(places);
    const maxCount = d3.max(markers, (mk) => mk.count) || 1;
    const radius = d3.scaleSqrt().domain([1, maxCount]).range([4, 16]);
    const tip = document.createElement("div");
    tip.className = "tooltip";
    tip.hidden = true;
    el.appendChild(tip);
    const layer = world.append("g").attr("class", "markers");
    layer.selectAll("circle").data(markers).join("circle")
      .attr("class", (mk) => `marker q${mk.quad.q}`)
      .attr("data-quad", (mk) => mk.quad.q)
      .attr("data-place", (mk) => mk.place.name)
      .attr("r", (mk) => radius(mk.count))
      .attr("transform", (mk) => {
        const [px, py] = projection([mk.place.lon, mk.place.lat]);
        const angle = (2 * Math.PI * mk.slot) / mk.slots;
        const shift = mk.slots > 1 ? 5 : 0;
        return `translate(${px + shift * Math.cos(angle)},${py + shift * Math.sin(angle)})`;
      })
      .on("mousemove", (event, mk) => {
        tip.replaceChildren();
        const head = document.createElement("b");
        head.append(bdi(mk.place.name));
        if (mk.place.country) head.append(" (", bdi(mk.place.country), ")");
        tip.appendChild(head);
        for (const q of QUADS) {
          tip.appendChild(document.createElement("br"));
          tip.appendChild(document.createTextNode(`${q.name}: ${mk.place.counts[q.key]}`));
        }
        tip.hidden = false;
        const [px, py] = d3.pointer(event, el);
        tip.style.left = Math.min(px + 12, el.clientWidth - tip.offsetWidth - 4) + "px";
        tip.style.top = Math.max(0, py - tip.offsetHeight - 10) + "px";
      })
      .on("mouseleave", () => { tip.hidden = true; })
      .on("click", (event, mk) => {
        window.location.assign("/events?place=" + encodeURIComponent(mk.place.name) + "&quad_class=" + mk.quad.q);
      });

    svg.call(d3.zoom().scaleExtent([1, 12]).on("zoom", (event) => {
      world.attr("transform", event.transform);
      layer.selectAll("circle").attr("r", (mk) => radius(mk.count) / Math.sqrt(event.transform.k));
    }));

    document.querySelectorAll("#map-legend input[data-quad]").forEach((box) => {
      box.addEventListener("change", () => {
        layer.selectAll(`circle.q${box.dataset.quad}`).classed("off", !box.checked);
      });
    });
    el.dataset.ready = "1";
  }

  document.querySelectorAll("[data-map]").forEach(drawMap);
})();
