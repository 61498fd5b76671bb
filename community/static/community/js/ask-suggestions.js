// <ask-suggestions>: while the title is typed, show the closest existing questions
// (solved first) and help articles, with "This answered my question" and
// "Post my question anyway". Without this script the server shows the same
// suggestions on a confirm step, so nothing depends on it.

const DEBOUNCE_MS = 300;
const MIN_LENGTH = 4;

class AskSuggestions extends HTMLElement {
  connectedCallback() {
    this.form = this.querySelector("form[data-ask-form]");
    if (!this.form) return;
    this.titleInput = this.form.querySelector('[name="title"]');
    this.product = this.form.querySelector('[name="product"]');
    this.region = this.form.querySelector("[data-suggestions]");
    this.confirmed = this.form.querySelector("[data-confirmed]");
    this.questionsCount = this.form.querySelector("[data-questions-suggested]");
    this.articlesCount = this.form.querySelector("[data-articles-suggested]");
    this.submit = this.form.querySelector("[data-submit]");
    this.submitLabel = this.submit.textContent;
    this.timer = null;
    this.controller = null;
    this.lastQuery = "";
    const schedule = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), DEBOUNCE_MS);
    };
    this.titleInput.addEventListener("input", schedule);
    if (this.product) this.product.addEventListener("change", () => { this.lastQuery = ""; schedule(); });
    if (this.titleInput.value.trim().length >= MIN_LENGTH) this.refresh();
  }

  async refresh() {
    const query = this.titleInput.value.trim().replace(/\s+/g, " ");
    const key = `${query}|${this.product ? this.product.value : ""}`;
    if (key === this.lastQuery) return;
    this.lastQuery = key;
    if (query.length < MIN_LENGTH) {
      this.show({ questions: [], articles: [] });
      return;
    }
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    const url = new URL(this.getAttribute("suggest-url"), window.location.href);
    url.searchParams.set("q", query);
    if (this.product && this.product.value) url.searchParams.set("product", this.product.value);
    try {
      const response = await fetch(url, { signal: this.controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      this.show(await response.json());
    } catch (error) {
      if (error.name !== "AbortError") this.show({ questions: [], articles: [] });
    }
  }

  show(data) {
    const questions = data.questions || [];
    const articles = data.articles || [];
    this.region.replaceChildren();
    const any = questions.length + articles.length > 0;
    this.region.hidden = !any;
    this.confirmed.value = any ? "1" : "";
    this.questionsCount.value = String(questions.length);
    this.articlesCount.value = String(articles.length);
    this.submit.textContent = any ? this.submit.dataset.labelAnyway : this.submitLabel;
    if (!any) return;

    const intro = document.createElement("p");
    intro.className = "suggestions-intro";
    intro.textContent = "Is one of these your answer?";
    this.region.append(intro);
    if (questions.length) this.region.append(...this.list("Questions like yours", questions, (item) => `${item.status_label} · ${item.answers} answer${item.answers === 1 ? "" : "s"}`));
    if (articles.length) this.region.append(...this.list("Help articles", articles, (item) => item.summary));

    const done = document.createElement("button");
    done.type = "submit";
    done.className = "button button-small";
    done.formAction = this.getAttribute("deflect-url");
    done.formNoValidate = true;
    done.textContent = "This answered my question";
    const row = document.createElement("p");
    row.className = "choice-row";
    row.append(done);
    this.region.append(row);
  }

  list(heading, items, describe) {
    const title = document.createElement("h2");
    title.className = "suggestions-title";
    title.textContent = heading;
    const list = document.createElement("ul");
    list.className = "link-list";
    for (const item of items) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      link.target = "_blank";
      link.rel = "noopener";
      const hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " (opens in a new tab)";
      link.append(hint);
      const note = document.createElement("p");
      note.textContent = describe(item) || "";
      li.append(link, note);
      list.append(li);
    }
    return [title, list];
  }
}

customElements.define("ask-suggestions", AskSuggestions);
