// <review-helpful>: answer "Was this review helpful?" without leaving the page.
// Without JavaScript the same form posts and redirects back; this only enhances it.
class ReviewHelpful extends HTMLElement {
  connectedCallback() {
    const form = this.querySelector("form");
    if (!form) return;
    form.addEventListener("submit", (event) => this.submit(event, form));
  }

  async submit(event, form) {
    const button = event.submitter;
    if (!button) return;
    event.preventDefault();
    const data = new FormData(form);
    data.set("helpful", button.value);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json();
      const count = this.querySelector("[data-count]");
      if (!response.ok) {
        count.textContent = body.error || "";
        return;
      }
      const people = body.total === 1 ? "person" : "people";
      count.textContent = `${body.yes} of ${body.total} ${people} found this helpful. Thanks for your feedback.`;
      buttons.forEach((b) => {
        const chosen = b.value === body.mine;
        b.classList.toggle("is-chosen", chosen);
        b.setAttribute("aria-pressed", chosen ? "true" : "false");
      });
    } catch {
      // Network trouble: fall back to the ordinary form post.
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "helpful";
      field.value = button.value;
      form.append(field);
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  }
}

if (!customElements.get("review-helpful")) customElements.define("review-helpful", ReviewHelpful);
