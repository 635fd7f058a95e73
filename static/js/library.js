// Library search: ticking a facet applies it at once (the "Apply filters" button
// does the same without JavaScript).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (input.matches("form[data-autosubmit] .library-facets input[type=checkbox]")) {
    input.form.requestSubmit();
  }
});

// The facets fold away on small screens; on wide screens they are always open.
document.addEventListener("DOMContentLoaded", () => {
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.library-facets-details").forEach((details) => {
      details.open = true;
    });
  }
});
