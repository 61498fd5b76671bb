// "Talk to a person": show callback times in the visitor's own time zone at once.
// Without JavaScript the visitor picks the zone and presses "Show times"; with it,
// a first visit (no ?tz=) reloads once with the browser's zone, if we list it.
const select = document.querySelector("[data-contact-time-zone]");
const params = new URLSearchParams(window.location.search);
if (select && !params.has("tz") && select.form && select.form.dataset.fresh === "1") {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const listed = zone && [...select.options].some((option) => option.value === zone);
  if (listed && zone !== select.value) {
    params.set("tz", zone);
    window.location.replace(`${window.location.pathname}?${params}`);
  }
}
