// <search-suggest>: suggestions under a text field as one types, for the header
// search box and the ask form's title (one module, one behaviour).
//
// The field becomes a WAI-ARIA 1.2 combobox with a listbox popup: arrow keys
// move through the suggestions (aria-activedescendant), Enter opens the one
// highlighted, Escape closes the list, leaving the field closes it too. Requests
// wait for a pause in typing (DEBOUNCE_MS), a newer keystroke aborts the older
// request, and answers are kept per query so backspacing costs nothing. The
// list floats over the page (no layout shift). Without this script the field is
// a plain form field: the search box a GET form to the results page, the ask
// form a POST that shows suggestions on a confirm step.
//
// Markup: <search-suggest suggest-url="..." [lists="key:Heading,key:Heading"]
// [min-length="2"] [target="_blank"] [field="name"]> around a form holding the
// field marked data-suggest-input (or named by `field`). The JSON answer holds one array of items
// ({title, url, and type_label, status_label or summary}) per list key
// (default "results", no heading). Inside the element, after each answer:
// [data-suggest-count="key"] inputs get that list's length,
// [data-suggest-any] inputs "1" if anything was suggested, [data-suggest-shown]
// elements are shown only then, and a button with data-label-anyway takes that
// label then ("Post my question anyway").

const DEBOUNCE_MS = 150;
let instances = 0;

function describe(item) {
  if (item.type_label) return item.type_label;
  if (item.status_label) {
    const answers = `${item.answers} answer${item.answers === 1 ? "" : "s"}`;
    return `${item.status_label} · ${answers}`;
  }
  return item.summary || "";
}

class SearchSuggest extends HTMLElement {
  connectedCallback() {
    const name = this.getAttribute("field");
    this.input = this.querySelector(name ? `[name="${CSS.escape(name)}"]` : "[data-suggest-input]");
    if (!this.input || this.listbox) return;
    instances += 1;
    const id = `suggest-${instances}`;
    this.minLength = Number(this.getAttribute("min-length") || 2);
    this.lists = (this.getAttribute("lists") || "results:").split(",").map((pair) => {
      const [key, ...heading] = pair.split(":");
      return { key: key.trim(), heading: heading.join(":").trim() };
    });
    this.answers = new Map();
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.controller = null;
    this.shownQuery = null;

    // The list is placed under the field's box (position: relative), written
    // in the template where wrapping the field later would move the layout.
    let field = this.input.closest(".suggest-field");
    if (!field) {
      field = document.createElement("div");
      field.className = "suggest-field";
      this.input.replaceWith(field);
      field.append(this.input);
    }
    this.listbox = document.createElement("div");
    this.listbox.id = `${id}-list`;
    this.listbox.className = "suggest-list";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.hidden = true;
    // Named "Suggestions", not by the field's label: one label naming two
    // controls would make "the field labelled X" ambiguous.
    this.listbox.setAttribute("aria-label", "Suggestions");
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    field.append(this.listbox, this.status);

    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);
    this.input.setAttribute("autocomplete", "off");

    this.input.addEventListener("input", () => this.schedule());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("focus", () => {
      if (this.options.length && this.shownQuery === this.query()) this.open();
    });
    this.input.addEventListener("blur", () => this.close());
    // A click on a suggestion follows its link; keep the focus in the field meanwhile.
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    const product = this.querySelector('[name="product"]');
    if (product) product.addEventListener("change", () => this.schedule());
    if (this.query().length >= this.minLength) this.refresh();
  }

  query() {
    return this.input.value.trim().replace(/\s+/g, " ");
  }

  url(query) {
    const url = new URL(this.getAttribute("suggest-url"), window.location.href);
    url.searchParams.set("q", query);
    const product = this.querySelector('[name="product"]');
    if (product && product.value) url.searchParams.set("product", product.value);
    return url;
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), DEBOUNCE_MS);
  }

  async refresh() {
    const query = this.query();
    if (query.length < this.minLength) {
      if (this.controller) this.controller.abort();
      this.show(query, {});
      return;
    }
    const url = this.url(query);
    const key = url.search;
    if (this.answers.has(key)) {
      this.show(query, this.answers.get(key));
      return;
    }
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const response = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return; // a 429 or an outage: keep what is shown
      const data = await response.json();
      this.answers.set(key, data);
      if (this.controller === controller) this.show(query, data);
    } catch (error) {
      if (error.name !== "AbortError") this.show(query, {});
    }
  }

  show(query, data) {
    this.shownQuery = query;
    this.listbox.replaceChildren();
    this.options = [];
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    const counts = {};
    const target = this.getAttribute("target");
    for (const [n, list] of this.lists.entries()) {
      const items = Array.isArray(data[list.key]) ? data[list.key] : [];
      counts[list.key] = items.length;
      if (!items.length) continue;
      let parent = this.listbox;
      if (list.heading) {
        parent = document.createElement("div");
        parent.setAttribute("role", "group");
        const heading = document.createElement("div");
        heading.id = `${this.listbox.id}-g${n}`;
        heading.className = "suggest-group";
        heading.setAttribute("role", "presentation");
        heading.textContent = list.heading;
        parent.setAttribute("aria-labelledby", heading.id);
        parent.append(heading);
        this.listbox.append(parent);
      }
      for (const item of items) parent.append(this.option(item, target));
    }
    const total = this.options.length;
    this.status.textContent = query.length < this.minLength ? "" : total
      ? `${total} suggestion${total === 1 ? "" : "s"}: use the up and down arrows to choose.`
      : "No suggestions.";
    this.updateForm(counts, total);
    if (total && document.activeElement === this.input) this.open();
    else this.close();
  }

  option(item, target) {
    const option = document.createElement("a");
    option.id = `${this.listbox.id}-o${this.options.length}`;
    option.className = "suggest-option";
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.tabIndex = -1;
    option.href = item.url;
    const title = document.createElement("span");
    title.className = "suggest-title";
    title.textContent = item.title;
    option.append(title);
    const note = describe(item);
    if (note) {
      const small = document.createElement("span");
      small.className = "suggest-note";
      small.textContent = note;
      option.append(small);
    }
    if (target) {
      option.target = target;
      option.rel = "noopener";
      const hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " (opens in a new tab)";
      option.append(hint);
    }
    this.options.push(option);
    return option;
  }

  updateForm(counts, total) {
    for (const input of this.querySelectorAll("[data-suggest-count]")) {
      input.value = String(counts[input.dataset.suggestCount] || 0);
    }
    for (const input of this.querySelectorAll("[data-suggest-any]")) {
      input.value = total ? "1" : "";
    }
    for (const element of this.querySelectorAll("[data-suggest-shown]")) {
      element.hidden = !total;
    }
    for (const button of this.querySelectorAll("[data-label-anyway]")) {
      if (!button.dataset.labelPlain) button.dataset.labelPlain = button.textContent;
      button.textContent = total ? button.dataset.labelAnyway : button.dataset.labelPlain;
    }
  }

  isOpen() {
    return !this.listbox.hidden;
  }

  open() {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.highlight(-1);
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  }

  highlight(index) {
    if (this.options[this.active]) this.options[this.active].setAttribute("aria-selected", "false");
    this.active = index;
    const option = this.options[index];
    if (!option) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  onKey(event) {
    const count = this.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count || event.altKey) {
        if (count) this.open();
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (!this.isOpen()) {
        this.open();
        this.highlight(step === 1 ? 0 : count - 1);
        return;
      }
      this.highlight((this.active + step + count + (this.active < 0 && step < 0 ? 1 : 0)) % count);
    } else if (event.key === "Enter") {
      const option = this.isOpen() && this.options[this.active];
      if (option) {
        event.preventDefault();
        this.close();
        option.click();
      }
    } else if (event.key === "Escape") {
      if (this.isOpen()) {
        event.preventDefault();
        this.close();
      }
    } else if (event.key === "Tab") {
      this.close();
    }
  }
}

customElements.define("search-suggest", SearchSuggest);
