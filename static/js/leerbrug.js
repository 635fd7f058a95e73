// Small progressive enhancements; every page also works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// htmx does not swap 4xx answers by default. A form refused with 400 (field errors)
// or 409 (a teammate saved first) answers with the form to show again: swap it, or
// the person sees nothing and their text is at risk.
document.addEventListener("htmx:beforeSwap", (event) => {
  if ([400, 409].includes(event.detail.xhr.status)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A page that comes back with form errors puts the keyboard on the error summary.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector(".error-summary")?.focus();
});
