// Drag-and-drop and an upload progress bar for forms with <input type=file multiple
// data-drop-zone>. Without JavaScript the plain input posts every chosen file; this
// only adds a zone to drop files on, the list of chosen files, and a progress bar
// while the form is sent (XMLHttpRequest reports upload progress, fetch does not).
// The server's answer replaces <main>: the next page after a save, or the form with
// its field messages (400).

function enhanceFileInput(input) {
  if (input.dataset.enhanced) return;
  input.dataset.enhanced = "true";

  const zone = document.createElement("div");
  zone.className = "drop-zone";
  const hint = document.createElement("p");
  hint.className = "mb-2";
  hint.textContent = input.dataset.dropZone;
  const chosen = document.createElement("ul");
  chosen.className = "drop-zone-files small";
  chosen.setAttribute("aria-label", input.dataset.selectedLabel);
  chosen.setAttribute("aria-live", "polite");
  // Field messages stay the input's siblings: Bootstrap shows them only there.
  const messages = input.parentElement.querySelectorAll(":scope > .invalid-feedback");
  input.replaceWith(zone);
  zone.append(hint, input, ...messages, chosen);

  const showChosen = () => {
    chosen.replaceChildren(
      ...Array.from(input.files, (file) => {
        const item = document.createElement("li");
        item.textContent = file.name;
        return item;
      }),
    );
  };
  input.addEventListener("change", showChosen);

  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("is-dragover");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("is-dragover"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-dragover");
    // Dropped files join the ones already chosen.
    const merged = new DataTransfer();
    for (const file of input.files) merged.items.add(file);
    for (const file of event.dataTransfer.files) merged.items.add(file);
    input.files = merged.files;
    showChosen();
  });

  const form = input.form;
  if (form && !form.dataset.uploadProgress) {
    form.dataset.uploadProgress = "true";
    form.addEventListener("submit", (event) => sendWithProgress(event, form, input));
  }
}

function sendWithProgress(event, form, input) {
  event.preventDefault();
  const status = document.createElement("p");
  status.setAttribute("role", "status");
  status.className = "mb-1";
  const bar = document.createElement("progress");
  bar.className = "upload-progress";
  bar.max = 100;
  bar.value = 0;
  const box = document.createElement("div");
  box.className = "my-3";
  box.append(status, bar);
  form.querySelector("[type=submit]")?.before(box);
  form.querySelectorAll("[type=submit]").forEach((button) => { button.disabled = true; });

  const request = new XMLHttpRequest();
  request.open(form.method || "post", form.action || window.location.href);
  request.responseType = "document";
  request.upload.addEventListener("progress", (progress) => {
    if (!progress.lengthComputable) return;
    const percent = Math.round((100 * progress.loaded) / progress.total);
    bar.value = percent;
    status.textContent = input.dataset.uploading.replace("{percent}", percent);
  });
  request.upload.addEventListener("load", () => {
    bar.value = 100;
    status.textContent = input.dataset.processing;
  });
  const failed = () => {
    status.textContent = input.dataset.uploadFailed;
    form.querySelectorAll("[type=submit]").forEach((button) => { button.disabled = false; });
  };
  request.addEventListener("error", failed);
  request.addEventListener("load", () => {
    const answer = request.response;
    const main = answer?.querySelector("main");
    if (!main || request.status >= 500) {
      failed();
      return;
    }
    showAnswer(answer, main, request.responseURL);
  });
  request.send(new FormData(form));
}

function showAnswer(answer, main, url) {
  document.title = answer.title;
  if (url && url !== window.location.href) window.history.pushState({}, "", url);
  document.querySelector("main").replaceWith(main);
  window.htmx?.process(main);
  init(main);
  const errors = main.querySelector(".error-summary, .is-invalid, .invalid-feedback");
  if (errors) {
    errors.focus?.();
    errors.scrollIntoView({ block: "center" });
  } else {
    main.querySelector("h1")?.scrollIntoView();
  }
}

function init(root) {
  root.querySelectorAll("input[type=file][data-drop-zone]").forEach(enhanceFileInput);
}

// After a swap the browser's back button must show the page it names.
window.addEventListener("popstate", () => window.location.reload());
init(document);
