// Library search: ticking a facet applies it at once (the "Apply filters" button
// does the same without JavaScript).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (input.matches("form[data-autosubmit] .library-facets input[type=checkbox]")) {
    input.form.requestSubmit();
  }
});
