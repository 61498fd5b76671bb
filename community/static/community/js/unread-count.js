// <unread-count url="..." label="unread">: shows how many notifications wait, next to the
// header link. The count comes from a small JSON request so the page itself costs no
// query for it; without JavaScript the link simply has no badge.

class UnreadCount extends HTMLElement {
  async connectedCallback() {
    try {
      const response = await fetch(this.getAttribute("url"), { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const { unread } = await response.json();
      if (!unread) return;
      const badge = document.createElement("span");
      badge.className = "nav-count";
      badge.textContent = unread > 99 ? "99+" : String(unread);
      // Styled through the CSSOM (allowed by a strict CSP) so no stylesheet is needed on every page.
      Object.assign(badge.style, {
        display: "inline-block", minWidth: "1.4em", padding: "0 0.35em", marginLeft: "0.3em",
        borderRadius: "999px", background: "#991b1b", color: "#fff", fontSize: "0.85em",
        textAlign: "center", lineHeight: "1.4",
      });
      const hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = ` ${this.getAttribute("label") || "unread"}`;
      this.replaceChildren(badge, hint);
    } catch {
      // The badge is a nicety; the link works without it.
    }
  }
}

if (!customElements.get("unread-count")) customElements.define("unread-count", UnreadCount);
