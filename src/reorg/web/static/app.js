// reorg pages: small behaviours, no inline scripts (the Content-Security-Policy forbids them).
"use strict";

// htmx requests carry the session's CSRF token in a header.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.body.dataset.csrf;
  if (token) event.detail.headers["X-CSRF-Token"] = token;
});

// A <select data-autosubmit> submits its form on change; with data-query it only changes ?lang=.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (!select) return;
  if (select.hasAttribute("data-query")) {
    const url = new URL(window.location.href);
    url.searchParams.set(select.name, select.value);
    window.location.assign(url.toString());
    return;
  }
  select.form.requestSubmit();
});

// A toggle of the unit tree shows or hides the branch under it (htmx loads the branch on the first click).
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("ul.tree button.toggle");
  if (!toggle) return;
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  const branch = toggle.parentElement.querySelector(":scope > ul");
  if (branch) branch.hidden = !open;
});

// A polled fragment (a job's progress) that answers with an error stops polling: it is replaced by its
// message, so that a lost session or a restarted server does not mean a request every second forever.
document.addEventListener("htmx:responseError", (event) => {
  const elt = event.detail.elt;
  if (!elt || !elt.hasAttribute("data-lost")) return;
  const note = document.createElement("p");
  note.className = "error";
  note.setAttribute("role", "alert");
  note.textContent = elt.dataset.lost;
  elt.replaceWith(note);
});
