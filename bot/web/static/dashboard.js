// The admin dashboard's script: signs in (Telegram's initData or a one-time login token from the URL
// fragment), then asks the bot's JSON API for the figures and draws them. No framework, no build step.
"use strict";
(function () {
  const labels = JSON.parse(document.getElementById("labels").textContent);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const state = { token: null, campaign: null, trail: [], rows: [], childLevel: null, sort: null, charts: [] };
  const $ = (id) => document.getElementById(id);

  // --- Telegram: theme colours and the "ready" event, without telegram-web-app.js -----------------
  function postEvent(type, data) {
    const payload = JSON.stringify(data || {});
    try {
      if (window.TelegramWebviewProxy) {
        window.TelegramWebviewProxy.postEvent(type, payload);
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), "https://web.telegram.org");
      }
    } catch (e) { /* not in Telegram */ }
  }

  function applyTheme() {
    let theme = fragment.get("tgWebAppThemeParams");
    try {
      if (theme) sessionStorage.setItem("theme", theme);
      else theme = sessionStorage.getItem("theme");
    } catch (e) { /* storage blocked */ }
    if (!theme) return;
    let params;
    try { params = JSON.parse(theme); } catch (e) { return; }
    const names = { bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
      button_color: "--button", button_text_color: "--button-text", secondary_bg_color: "--secondary-bg" };
    for (const [key, variable] of Object.entries(names)) {
      const value = params[key];
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        document.documentElement.style.setProperty(variable, value);
      }
    }
  }

  // --- the API --------------------------------------------------------------------------------
  class ApiError extends Error { constructor(status) { super("HTTP " + status); this.status = status; } }

  async function api(path, params, method) {
    const query = new URLSearchParams(params || {}).toString();
    const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
    const response = await fetch("api/" + path + (query ? "?" + query : ""),
      { method: method || "GET", headers, credentials: "same-origin" });
    if (!response.ok) {
      const error = new ApiError(response.status);
      try { error.text = (await response.json()).text; } catch (_) { /* no words */ }
      throw error;
    }
    return response.json();
  }

  async function signIn() {
    const initData = fragment.get("tgWebAppData");
    const login = fragment.get("login");
    let body = null;
    if (initData) body = { init_data: initData };
    else if (login) {
      body = { login };
      history.replaceState(null, "", location.pathname + location.search); // the token is used up
    }
    if (!body) return; // a browser tab that signed in before: its cookie
    const response = await fetch("api/session", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!response.ok) throw new ApiError(response.status);
    state.token = (await response.json()).token;
  }

  // --- formatting -------------------------------------------------------------------------------
  // one decimal, as /stats and the export; a share too small for it is "<0.1%", never a 0.0% that is not zero
  const percent = (v) => (v === null || v === undefined ? "—" : v > 0 && v < 0.0005 ? "<0.1%" : (100 * v).toFixed(1) + "%");
  const number = (v) => (v === null || v === undefined ? "—" : String(v));
  // an enrolment that is an estimate (a school's total shared out over its grades) and its rate: ≈, as /stats
  const approx = (r, shown) => (r.estimated && /^[0-9]/.test(shown) ? "≈" + shown : shown);
  const COLUMNS = [
    ["label", (r) => r.label], ["participants", (r) => number(r.participants)],
    ["enrolled", (r) => approx(r, number(r.enrolled))],
    ["participation", (r) => approx(r, percent(r.participation))], ["completed", (r) => number(r.completed)],
    ["pass_rate", (r) => percent(r.pass_rate)], ["excellence_rate", (r) => percent(r.excellence_rate)],
    ["mean", (r) => number(r.mean)],
  ];

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(text, error) {
    const status = $("status");
    status.textContent = text;
    status.className = error ? "status error" : "status";
    status.hidden = !text;
  }

  // --- drawing ------------------------------------------------------------------------------------
  function drawMeta(c) {
    const roles = c.roles.map((r) => labels["role_" + r] || r).join("、");
    const grades = c.grades ? " " + labels.grades.replace("{low}", c.grades[0]).replace("{high}", c.grades[1]) : "";
    $("meta").textContent = `${labels.window}: ${c.start} – ${c.end} · ${labels.audience}: ${roles}${grades} · ` +
      `${labels.marks.replace("{pass}", c.pass_mark).replace("{excellent}", c.excellent_mark)}`;
  }

  function drawCards(s) {
    const cards = $("cards");
    cards.replaceChildren();
    const items = [
      ["participants", number(s.participants)], ["enrolled", approx(s, number(s.enrolled))],
      ["participation", approx(s, percent(s.participation))], ["completed", number(s.completed)],
      ["pass_rate", percent(s.pass_rate)], ["excellence_rate", percent(s.excellence_rate)],
      ["mean", number(s.mean)], ["median", number(s.median)],
    ];
    for (const [key, value] of items) {
      const card = el("div", { class: "card", "data-figure": key });
      card.append(el("div", { class: "label" }, labels[key]), el("div", { class: "value" }, value),
        el("div", { class: "formula" }, labels[key + "_formula"]));
      cards.append(card);
    }
  }

  function drawTrail() {
    const trail = $("trail");
    trail.replaceChildren();
    state.trail.forEach((step, i) => {
      if (i > 0) trail.append(el("span", { class: "sep" }, "›"));
      if (i === state.trail.length - 1) { trail.append(el("span", {}, step.label)); return; }
      const back = el("button", { type: "button" }, step.label);
      back.addEventListener("click", () => { state.trail = state.trail.slice(0, i + 1); load(); });
      trail.append(back);
    });
  }

  function drawRows() {
    const body = $("rows").tBodies[0];
    body.replaceChildren();
    for (const row of state.rows) {
      const drill = state.childLevel !== null && row.level !== null;  // staff rows: no page below
      const tr = el("tr", { "data-key": row.key, class: (row.zero ? "zero " : "") + (drill ? "link" : "") });
      if (drill) {
        tr.tabIndex = 0;
        const go = () => { state.trail.push({ level: state.childLevel, key: row.key, label: row.label }); load(); };
        tr.addEventListener("click", go);
        tr.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
      }
      COLUMNS.forEach(([key, show]) => tr.append(el("td", key === "label" ? {} : { class: "num" }, show(row))));
      body.append(tr);
    }
    for (const th of $("rows").tHead.rows[0].cells) {
      th.className = (th.dataset.sort === "label" ? "" : "num ") +
        (state.sort && state.sort.key === th.dataset.sort ? (state.sort.asc ? "sorted-asc" : "sorted-desc") : "");
    }
  }

  function sortBy(key) {
    const asc = state.sort && state.sort.key === key ? !state.sort.asc : key === "label";
    state.sort = { key, asc };
    const value = (r) => (r[key] === null || r[key] === undefined ? -1 : r[key]);
    state.rows.sort((a, b) => {
      const x = value(a), y = value(b);
      const order = typeof x === "string" ? x.localeCompare(y, "zh") : x - y;
      return asc ? order : -order;
    });
    drawRows();
  }

  function drawHardest(questions) {
    const list = $("hardest");
    list.replaceChildren();
    if (!questions.length) { list.append(el("li", {}, labels.none)); return; }
    for (const q of questions) {
      const item = el("li", {}, q.stem);
      const article = q.articles.length ? labels.article.replace("{law}", q.law).replace("{articles}", q.articles.join("、")) : q.law;
      item.append(el("span", { class: "sub" },
        `${labels.facility}: ${percent(q.facility)} (${q.answers}) · ${labels.wrong_option}: ${q.wrong_option || "—"} · ${article}`));
      list.append(item);
    }
  }

  function drawCharts(data) {
    state.charts.forEach((c) => c.destroy());
    state.charts = [];
    if (!window.Chart) return;
    const css = getComputedStyle(document.documentElement);
    const color = (name) => css.getPropertyValue(name).trim();
    // a fresh options object per chart: Chart.js writes into the one it is given
    const options = () => ({ animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: color("--text") } } },
      scales: { x: { ticks: { color: color("--hint") } }, y: { beginAtZero: true, ticks: { color: color("--hint") } } } });
    const perDay = options();
    perDay.scales.y.ticks.precision = 0; // people: 1, 2, 3 on the axis, never 0.5
    state.charts.push(new window.Chart($("per-day"), { type: "bar", options: perDay,
      data: { labels: data.days.map((d) => d.date),
        datasets: [{ label: labels.completed, data: data.days.map((d) => d.completed), backgroundColor: color("--button") }] } }));
    const rates = options();
    rates.scales.y.max = 100;
    state.charts.push(new window.Chart($("rates"), { type: "bar", options: rates,
      data: { labels: data.schools.map((s) => s.label),
        datasets: [
          { label: labels.pass_rate, data: data.schools.map((s) => s.pass_rate), backgroundColor: color("--button") },
          { label: labels.excellence_rate, data: data.schools.map((s) => s.excellence_rate), backgroundColor: "#f59e0b" },
        ] } }));
  }

  function drawMissing(missing) {
    const list = $("missing-lines");
    const lines = missing.lines;
    list.replaceChildren(...(lines.length ? lines : [labels.none]).filter((l) => l.trim())
      .map((line) => el("li", {}, line)));
    $("remind").hidden = Boolean(missing.refused); // nobody this campaign is for here: nobody to remind
    $("remind-result").textContent = "";
  }

  async function remind() {
    if (!window.confirm(labels.remind_confirm)) return;
    const here = state.trail[state.trail.length - 1];
    try {
      const done = await api("remind", { campaign: state.campaign || "", level: here.level, key: here.key }, "POST");
      $("remind-result").textContent = done.text;
    } catch (e) {
      $("remind-result").textContent = e.text || labels.failed;
    }
  }

  // --- loading ------------------------------------------------------------------------------------
  async function load() {
    const here = state.trail[state.trail.length - 1];
    const params = { campaign: state.campaign || "", level: here.level, key: here.key };
    setStatus(labels.loading);
    try {
      const [view, charts, missing] = await Promise.all([api("view", params), api("charts", params),
        api("missing", params)]);
      state.campaign = view.campaign.id;
      $("campaign").value = view.campaign.id;
      state.rows = view.rows;
      state.childLevel = view.child_level;
      state.sort = null;
      drawMeta(view.campaign);
      drawCards(view.summary);
      drawTrail();
      $("table-title").textContent = view.child_level ? labels["level_" + view.child_level] : "";
      $("rows").hidden = !view.child_level;
      drawRows();
      $("estimated-note").hidden = !(view.summary.estimated || view.rows.some((r) => r.estimated));
      drawHardest(view.hardest);
      drawMissing(missing);
      drawCharts(charts);
      $("download-xlsx").href = view.downloads.xlsx;
      $("download-csv").href = view.downloads.csv;
      $("content").hidden = false;
      setStatus("");
    } catch (e) {
      fail(e);
    }
  }

  function fail(e) {
    $("content").hidden = true;
    const status = e instanceof ApiError ? e.status : 0;
    setStatus(status === 401 ? labels.need_login : status === 403 ? labels.forbidden : labels.failed, true);
  }

  async function start() {
    applyTheme();
    postEvent("web_app_ready");
    postEvent("web_app_expand");
    for (const th of $("rows").tHead.rows[0].cells) th.addEventListener("click", () => sortBy(th.dataset.sort));
    $("campaign").addEventListener("change", (e) => { state.campaign = e.target.value; load(); });
    $("remind").addEventListener("click", remind);
    try {
      await signIn();
      const list = await api("campaigns");
      const select = $("campaign");
      select.replaceChildren(...list.campaigns.map((c) => el("option", { value: c.id }, c.title)));
      state.campaign = list.campaigns.length ? list.campaigns[0].id : null;
      state.trail = [{ level: "district", key: "", label: labels.top }];
      await load();
    } catch (e) {
      fail(e);
    }
  }

  start();
})();
