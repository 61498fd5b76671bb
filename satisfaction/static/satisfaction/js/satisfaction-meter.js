// <satisfaction-meter live-url="…" poll-url="…" poll-seconds="15" trend-url="…" min-answers="10">
//
// Enhances the server-rendered meter inside it: listens to server-sent events
// (each event carries the whole snapshot) and redraws the figures in place. If
// event streams are unavailable or keep failing it polls poll-url instead.
// Without JavaScript the page already shows the same figures, current at load.

const number = (value) => value.toFixed(1).replace(/\.0$/, "");
// Counts with thousands separators, as the server renders them (13,515).
const count = (value) => Number(value).toLocaleString("en-US");

function meterText(snapshot) {
  const last = snapshot.last;
  if (!last.n) return "No customer has answered yet.";
  return `${count(last.satisfied)} of the last ${count(last.n)} customers were satisfied`;
}

function figureNodes(figure, minAnswers, short = false) {
  const nodes = [];
  if (figure.enough) {
    const pct = document.createElement("strong");
    pct.className = "sat-pct";
    pct.textContent = `${figure.percent_whole} %`;
    nodes.push(pct, document.createTextNode(" "));
    const detail = document.createElement("span");
    detail.className = "sat-detail";
    detail.textContent = short
      ? `${number(figure.low)}–${number(figure.high)} % · n = ${count(figure.n)}`
      : `95 % interval ${number(figure.low)}–${number(figure.high)} % · ${count(figure.n)} answers`;
    nodes.push(detail);
  } else {
    const none = document.createElement("span");
    none.className = "sat-notenough";
    none.textContent = "Not enough answers yet";
    const detail = document.createElement("span");
    detail.className = "sat-detail";
    detail.textContent = short ? `n = ${count(figure.n)} of ${minAnswers}` : `${count(figure.n)} of the ${minAnswers} answers needed`;
    nodes.push(none, document.createTextNode(" "), detail);
  }
  return nodes;
}

function rateText(rate) {
  if (rate.percent_whole === null) return "No invitations sent in this window";
  return `Response rate ${rate.percent_whole} %: ${rate.answered} of ${rate.invitations} invitations answered`;
}

function row(label, figures, minAnswers) {
  const tr = document.createElement("tr");
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = label;
  tr.append(th);
  for (const figure of figures) {
    const td = document.createElement("td");
    td.append(...figureNodes(figure, minAnswers, true));
    tr.append(td);
  }
  return tr;
}

class SatisfactionMeter extends HTMLElement {
  connectedCallback() {
    this.minAnswers = Number(this.getAttribute("min-answers") || 10);
    this.failures = 0;
    this.lastWeekly = null;
    const live = this.getAttribute("live-url");
    if (live && "EventSource" in window) {
      this.listen(live);
    } else {
      this.poll();
    }
  }

  disconnectedCallback() {
    this.source?.close();
    clearInterval(this.timer);
  }

  listen(url) {
    this.source = new EventSource(url);
    this.source.addEventListener("meter", (event) => {
      this.failures = 0;
      this.render(JSON.parse(event.data));
    });
    this.source.addEventListener("error", () => {
      // A stream that ends normally reconnects by itself; give up only if it keeps failing.
      this.failures += 1;
      if (this.source.readyState === EventSource.CLOSED || this.failures > 5) {
        this.source.close();
        this.poll();
      }
    });
  }

  poll() {
    const url = this.getAttribute("poll-url");
    if (!url || this.timer) return;
    const seconds = Math.max(5, Number(this.getAttribute("poll-seconds") || 15));
    const fetchOnce = async () => {
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (response.ok) this.render(await response.json());
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    this.timer = setInterval(fetchOnce, seconds * 1000);
    fetchOnce();
  }

  render(snapshot) {
    const text = this.querySelector("[data-bind=last-text]");
    if (text) text.textContent = meterText(snapshot);
    const icons = this.querySelector("[data-bind=icons]");
    if (icons) {
      icons.replaceChildren(
        ...snapshot.last.answers.map((satisfied) => {
          const span = document.createElement("span");
          span.className = `sat-icon ${satisfied ? "sat-yes" : "sat-no"}`;
          return span;
        }),
      );
    }
    for (const box of this.querySelectorAll(".sat-window[data-window]")) {
      const window_ = snapshot.windows.find((w) => String(w.days) === box.dataset.window);
      if (!window_) continue;
      box.querySelector("[data-bind=figure]")?.replaceChildren(...figureNodes(window_, this.minAnswers));
      const rate = box.querySelector("[data-bind=rate]");
      if (rate) rate.textContent = rateText(window_.response_rate);
    }
    for (const key of ["by_product", "by_channel"]) {
      const body = this.querySelector(`[data-bind=${key}]`);
      if (body) {
        body.replaceChildren(
          ...snapshot[key].map((item) => row(item.name, Object.values(item.windows), this.minAnswers)),
        );
      }
    }
    const weeklyBody = this.querySelector("[data-bind=weekly]");
    if (weeklyBody) {
      weeklyBody.replaceChildren(...snapshot.weekly.map((week) => row(week.week_start, [week], this.minAnswers)));
    }
    const generated = this.querySelector("[data-bind=generated]");
    if (generated) {
      generated.textContent = snapshot.generated_at.slice(0, 16).replace("T", " ");
      generated.setAttribute("datetime", snapshot.generated_at);
    }
    const excluded = this.querySelector("[data-bind=excluded]");
    if (excluded) {
      const n = snapshot.excluded.total;
      excluded.textContent = n === 1 ? "1 answer excluded under a published rule." : `${count(n)} answers excluded under published rules.`;
    }
    this.refreshTrend(snapshot.weekly);
    this.dataset.updated = snapshot.generated_at;
    this.dispatchEvent(new CustomEvent("satisfaction-meter:updated", { detail: snapshot }));
  }

  async refreshTrend(weekly) {
    const url = this.getAttribute("trend-url");
    const holder = this.querySelector("[data-bind=trend]");
    const key = JSON.stringify(weekly);
    if (!url || !holder || key === this.lastWeekly) return;
    const first = this.lastWeekly === null;
    this.lastWeekly = key;
    if (first) return; // the server drew it with the page
    try {
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) holder.innerHTML = await response.text();
    } catch {
      // The table below the chart is already current.
    }
  }
}

customElements.define("satisfaction-meter", SatisfactionMeter);
