/* A time range slider for pages whose filter form has since/until dates (map, network): two
   range inputs over the store's first to last event date, one step a day. Moving either sets
   the form's since/until and reloads the page with them; the date inputs stay for exact typing.
   Built from a <div data-range-form="FORM-ID" data-first="YYYY-MM-DD" data-last="YYYY-MM-DD">. */
(function () {
  "use strict";
  const DAY = 86400000;

  function toDay(iso) {
    const time = Date.parse(iso + "T00:00:00Z");
    return Number.isNaN(time) ? null : Math.round(time / DAY);
  }

  function toIso(day) {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  function slider(name, label, min, max, value) {
    const input = document.createElement("input");
    Object.assign(input, { type: "range", min: String(min), max: String(max), step: "1" });
    input.value = String(value);
    input.name = "";
    input.dataset.bound = name;
    input.setAttribute("aria-label", label);
    return input;
  }

  function build(el) {
    const form = document.getElementById(el.dataset.rangeForm);
    const first = toDay(el.dataset.first || "");
    const last = toDay(el.dataset.last || "");
    if (!form || first === null || last === null || last <= first) {
      el.hidden = true;
      el.dataset.ready = "1";
      return;
    }
    const since = form.elements.namedItem("since");
    const until = form.elements.namedItem("until");
    const clamp = (day, fallback) => Math.min(last, Math.max(first, day === null ? fallback : day));
    const low = slider("since", "First day", first, last, clamp(toDay(since.value), first));
    const high = slider("until", "Last day", first, last, clamp(toDay(until.value), last));
    const shown = document.createElement("span");
    shown.className = "range-label";
    const show = () => { shown.textContent = `${toIso(Number(low.value))} – ${toIso(Number(high.value))}`; };
    const keepOrder = (moved) => {
      if (Number(low.value) > Number(high.value)) {
        if (moved === low) high.value = low.value; else low.value = high.value;
      }
      show();
    };
    const apply = () => {
      const a = Number(low.value);
      const b = Number(high.value);
      since.value = a === first ? "" : toIso(a);
      until.value = b === last ? "" : toIso(b);
      form.requestSubmit();
    };
    for (const input of [low, high]) {
      input.addEventListener("input", () => keepOrder(input));
      input.addEventListener("change", apply);
    }
    el.append(low, high, shown);
    show();
    el.dataset.ready = "1";
  }

  document.querySelectorAll("[data-range-form]").forEach(build);
})();
