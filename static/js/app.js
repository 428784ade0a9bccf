"use strict";
// The site's browser side: submit jobs, poll their status, show results. No frameworks, no CDN.

function csrfToken() {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function showError(message) {
  const box = document.getElementById("error");
  if (!box) return;
  box.textContent = message;
  box.hidden = !message;
}

function setProgress(percent) {
  const bar = document.getElementById("progress");
  if (!bar) return;
  bar.hidden = percent === null;
  bar.firstElementChild.style.width = (percent || 0) + "%";
}

// The site allows a visitor a few unfinished jobs at once (429 beyond that): this page keeps
// at most that many in flight and, if another tab holds some, waits as Retry-After says.
const MAX_JOBS_IN_FLIGHT = 3;
let jobsInFlight = 0;
const jobSlotWaiters = [];

async function jobSlot() {
  if (jobsInFlight >= MAX_JOBS_IN_FLIGHT) await new Promise((resolve) => jobSlotWaiters.push(resolve));
  jobsInFlight += 1;
}

function jobSlotFree() {
  jobsInFlight -= 1;
  const next = jobSlotWaiters.shift();
  if (next) next();
}

async function submitJob(url, body) {
  const options = { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" };
  if (body instanceof FormData) {
    options.body = body;
  } else {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, options);
    let data = {};
    try { data = await response.json(); } catch (e) { /* not JSON: fall through */ }
    if (response.status === 202) return data;
    const wait = Number(response.headers.get("Retry-After"));
    if (response.status !== 429 || !(wait > 0) || wait > 10 || attempt >= 30) {
      throw new Error(data.error || ("request failed (" + response.status + ")"));
    }
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

async function waitForJob(job, onProgress) {
  for (;;) {
    if (job.status === "done") return job;
    if (job.status === "failed") throw new Error(job.error || "the job failed");
    if (onProgress) onProgress(job.progress);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const response = await fetch(job.status_url, { credentials: "same-origin" });
    if (!response.ok) throw new Error("lost track of the job (" + response.status + ")");
    job = await response.json();
  }
}

async function runJob(url, body, onProgress) {
  await jobSlot();
  try {
    return await waitForJob(await submitJob(url, body), onProgress);
  } finally {
    jobSlotFree();
  }
}

function randomSeed() { return Math.floor(Math.random() * 2147483647); }

// Studio: a live thumbnail per category.
function initStudio() {
  document.querySelectorAll("[data-thumbnail]").forEach(async (card) => {
    try {
      const job = await runJob("/api/patterns", { category: card.dataset.thumbnail, seed: randomSeed(), size: 192 });
      const img = document.createElement("img");
      img.src = job.results.pattern;
      img.alt = card.dataset.thumbnail + " pattern, seed " + job.params.seed;
      card.querySelector(".swatch").replaceWith(img);
    } catch (error) { showError(error.message); }
  });
}

// Category page: fresh grid plus the editor.
// The API takes numbers as JSON numbers and lists as JSON arrays.
function editorParams(form, category) {
  const f = new FormData(form);
  const params = {
    category, seed: Number(f.get("seed") || 0), scale: Number(f.get("scale")),
    variations: ["v1", "v2", "v3"].map((name) => Number(f.get(name))),
    palette: ["1", "2", "3"].filter((i) => f.get("use_c" + i)).map((i) => f.get("c" + i)),
    repeat: f.get("repeat") || "full",
  };
  if (f.get("seed_b") !== "" && f.get("seed_b") !== null) { params.seed_b = Number(f.get("seed_b")); params.mix = Number(f.get("mix")); }
  return params;
}

function permalinkFor(category, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (key !== "category") query.set(key, Array.isArray(value) ? value.join(",") : value);
  }
  return "/patterns/" + category + "/?" + query.toString();
}

function fillEditorFromUrl(form) {
  const query = new URLSearchParams(window.location.search);
  for (const [key, value] of query) {
    if (key === "variations") value.split(",").forEach((v, i) => { if (form["v" + (i + 1)]) form["v" + (i + 1)].value = v; });
    else if (key === "palette") value.split(",").filter(Boolean).forEach((c, i) => { form["use_c" + (i + 1)].checked = true; form["c" + (i + 1)].value = c; });
    else if (form[key]) form[key].value = value;
  }
}

function bindOutputs(form) {
  form.querySelectorAll("input[type=range]").forEach((input) => {
    const output = input.parentElement.querySelector("output");
    const show = () => { if (output) output.textContent = input.value; };
    input.addEventListener("input", show);
    show();
  });
}

function initCategory() {
  const editor = document.getElementById("editor");
  const category = editor.dataset.category;
  const form = document.getElementById("controls");
  const grid = document.getElementById("fresh-grid");
  fillEditorFromUrl(form);
  bindOutputs(form);

  async function render() {
    showError("");
    const params = editorParams(form, category);
    history.replaceState(null, "", permalinkFor(category, params));
    document.getElementById("permalink").href = permalinkFor(category, params);
    const tryon = new URLSearchParams({ category, seed: params.seed, scale: params.scale, repeat: params.repeat });
    document.getElementById("tryon-link").href = "/tryon/?" + tryon.toString();
    try {
      const job = await runJob("/api/patterns", { ...params, size: 256 }, setProgress);
      document.getElementById("repeat").style.backgroundImage = "url(" + job.results.pattern + ")";
      document.getElementById("repeat").dataset.seed = job.params.seed;
      colourways = job.params.colourways || [];
    } catch (error) { showError(error.message); }
    setProgress(null);
  }

  async function fresh() {
    grid.innerHTML = "";
    for (let i = 0; i < 8; i++) {
      const seed = randomSeed();
      const cell = document.createElement("a");
      cell.className = "card";
      cell.href = "#editor";
      cell.innerHTML = '<div class="swatch loading"></div><span>seed ' + seed + "</span>";
      cell.addEventListener("click", () => { form.seed.value = seed; render(); });
      grid.appendChild(cell);
      runJob("/api/patterns", { category, seed, size: 192 }).then((job) => {
        const img = document.createElement("img");
        img.src = job.results.pattern;
        img.alt = category + " seed " + seed;
        cell.querySelector(".swatch").replaceWith(img);
      }).catch((error) => showError(error.message));
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); render(); });
  document.getElementById("fresh").addEventListener("click", fresh);
  document.getElementById("download").addEventListener("click", async () => {
    showError("");
    const size = document.getElementById("download-size").value;
    try {
      const job = await runJob("/api/patterns", { ...editorParams(form, category), size: Number(size) }, setProgress);
      window.location.href = job.results.pattern + "?download=1";
    } catch (error) { showError(error.message); }
    setProgress(null);
  });
  // Colourways: the rendered pattern's own colours turned around the colour wheel, or a photo's.
  let colourways = [];
  function setPalette(palette) {
    ["1", "2", "3"].forEach((i, k) => {
      form["use_c" + i].checked = k < palette.length;
      if (k < palette.length) form["c" + i].value = palette[k];
    });
  }
  function showColourways(ways) {
    const row = document.getElementById("colourways");
    row.innerHTML = "";
    ways.forEach((palette) => {
      const cell = document.createElement("a");
      cell.className = "card";
      cell.href = "#editor";
      cell.innerHTML = '<div class="swatch loading"></div><span>' + palette.join(" ") + "</span>";
      cell.addEventListener("click", () => { setPalette(palette); render(); });
      row.appendChild(cell);
      runJob("/api/patterns", { ...editorParams(form, category), palette, size: 192 }).then((job) => {
        const img = document.createElement("img");
        img.src = job.results.pattern;
        img.alt = category + " in " + palette.join(", ");
        cell.querySelector(".swatch").replaceWith(img);
      }).catch((error) => showError(error.message));
    });
  }
  document.getElementById("show-colourways").addEventListener("click", () => showColourways(colourways));
  document.getElementById("palette-photo").addEventListener("change", async (event) => {
    showError("");
    const file = event.target.files[0];
    if (!file) return;
    const body = new FormData();
    body.append("photo", file);
    const response = await fetch("/api/palette", { method: "POST", body, headers: { "X-CSRFToken": csrfToken() },
                                                   credentials: "same-origin" });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { showError(data.error || "the photo could not be read"); return; }
    setPalette(data.palette);
    showColourways(data.colourways);
    render();
  });

  document.getElementById("download-print").addEventListener("click", async () => {
    showError("");
    const print = { width_cm: Number(document.getElementById("print-width").value),
                    dpi: Number(document.getElementById("print-dpi").value) };
    try {
      const job = await runJob("/api/patterns", { ...editorParams(form, category), ...print }, setProgress);
      window.location.href = job.results.pattern + "?download=1";
    } catch (error) { showError(error.message); }
    setProgress(null);
  });
  fresh();
  render();
}

// Try-on page.
function initTryon() {
  const form = document.getElementById("tryon");
  const query = new URLSearchParams(window.location.search);
  for (const key of ["category", "seed", "scale", "repeat"]) if (query.get(key) && form[key]) form[key].value = query.get(key);
  // From the fabric page: a variation's palette, or the tile cut from the visitor's fabric.
  (query.get("palette") || "").split(",").filter(Boolean).forEach((colour) => {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "palette";
    input.value = colour;
    form.appendChild(input);
  });
  if (query.get("fabric_job")) {
    form.fabric_job.value = query.get("fabric_job");
    document.getElementById("fabric-note").hidden = false;
  }
  bindOutputs(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    document.getElementById("result").hidden = true;
    const body = new FormData(form);
    if (!body.get("photo") || !body.get("photo").size) body.delete("photo");
    if (!body.get("seed")) body.set("seed", randomSeed());
    try {
      const job = await runJob("/api/tryon", body, setProgress);
      document.getElementById("img-garments").src = job.results.garments;
      document.getElementById("img-result").src = job.results.result;
      document.getElementById("dl-result").href = job.results.result + "?download=1";
      document.getElementById("dl-pattern").href = job.results.pattern + "?download=1";
      document.getElementById("found").textContent = "Found: " + Object.keys(job.params.found).join(", ") +
        ". Re-dressed: " + job.params.dressed.join(", ") + " (pattern seed " + job.params.pattern.seed + ").";
      document.getElementById("result").hidden = false;
    } catch (error) { showError(error.message); }
    setProgress(null);
  });
}

// From your fabric: upload a photo; show its category, its seamless tile and 4 variations.
function initFabric() {
  const form = document.getElementById("fabric");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showError("");
    document.getElementById("fabric-result").hidden = true;
    try {
      const job = await runJob("/api/fabric", new FormData(form), setProgress);
      const p = job.params;
      const sure = Math.round(100 * p.probabilities[p.category]);
      document.getElementById("fabric-category").textContent = "This looks like " + p.category + " (" + sure + "% sure).";
      document.getElementById("fabric-repeat").style.backgroundImage = "url(" + job.results.tile + ")";
      document.getElementById("fabric-tile-download").href = job.results.tile + "?download=1";
      document.getElementById("fabric-tile-tryon").href = "/tryon/?" + new URLSearchParams({ category: p.category, fabric_job: job.id });
      const grid = document.getElementById("fabric-variations");
      grid.innerHTML = "";
      p.variations.forEach((variation, k) => {
        const url = job.results["variation-" + (k + 1)];
        const query = { category: p.category, seed: variation.seed };
        if (variation.palette.length) query.palette = variation.palette.join(",");
        const card = document.createElement("div");
        card.className = "card";
        card.innerHTML = '<img alt=""><span></span> <a class="download">Download</a> <a class="tryon">Try it on</a>';
        card.querySelector("img").src = url;
        card.querySelector("img").alt = p.category + " variation " + (k + 1);
        card.querySelector("span").textContent = "seed " + variation.seed;
        card.querySelector(".download").href = url + "?download=1";
        card.querySelector(".tryon").href = "/tryon/?" + new URLSearchParams(query);
        grid.appendChild(card);
      });
      document.getElementById("fabric-result").hidden = false;
    } catch (error) { showError(error.message); }
    setProgress(null);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("[data-thumbnail]")) initStudio();
  if (document.getElementById("editor")) initCategory();
  if (document.getElementById("tryon")) initTryon();
  if (document.getElementById("fabric")) initFabric();
});
