// A filter box for long multiple-choice lists (the people named as a session's
// invitees): typing narrows the list, people already chosen stay in it. Without
// JavaScript the plain list (Ctrl-click to choose several) does the same job.
const normalise = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

document.querySelectorAll("select[multiple][data-filter-label]").forEach((select) => {
  const options = Array.from(select.options);
  const box = document.createElement("div");
  const label = document.createElement("label");
  const input = document.createElement("input");
  const status = document.createElement("div");
  box.className = "mb-2";
  input.type = "search";
  input.id = `${select.id}-filter`;
  input.className = "form-control";
  input.autocomplete = "off";
  input.setAttribute("aria-controls", select.id);
  input.dataset.testid = "people-filter";
  label.htmlFor = input.id;
  label.className = "form-label small mb-1";
  label.textContent = select.dataset.filterLabel;
  status.className = "form-text";
  status.setAttribute("role", "status");
  box.append(label, input, status);
  select.before(box);

  input.addEventListener("input", () => {
    const words = normalise(input.value).split(/\s+/).filter(Boolean);
    const shown = options.filter(
      (option) => option.selected || words.every((word) => normalise(option.text).includes(word)),
    );
    select.replaceChildren(...shown);
    status.textContent = words.length
      ? select.dataset.filterStatus
          .replace("%(shown)s", shown.length)
          .replace("%(total)s", options.length)
      : "";
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // typing a name never submits the form
    if (event.key === "ArrowDown") select.focus();
  });
});
