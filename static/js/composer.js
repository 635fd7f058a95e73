// The learning-community composer: drag a school to another group. The select in
// each school's card stays the source of truth (and works without this module):
// dropping a card sets its select, and choosing in the select moves the card.
(() => {
  "use strict";

  function listFor(form, group) {
    return form.querySelector(`[data-drop="${group}"]`);
  }

  function moveCard(form, card, group) {
    const list = listFor(form, group);
    if (list && card.parentElement !== list) {
      list.appendChild(card);
    }
  }

  function setUp(form) {
    let dragged = null;
    form.querySelectorAll(".composer-school").forEach((card) => {
      card.addEventListener("dragstart", (event) => {
        dragged = card;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", card.dataset.school);
        card.classList.add("opacity-50");
      });
      card.addEventListener("dragend", () => {
        card.classList.remove("opacity-50");
        dragged = null;
      });
      const select = card.querySelector("select");
      select.addEventListener("change", () => moveCard(form, card, select.value));
    });
    form.querySelectorAll(".composer-group").forEach((group) => {
      group.addEventListener("dragover", (event) => {
        if (dragged) {
          event.preventDefault();
          group.classList.add("border-primary");
        }
      });
      group.addEventListener("dragleave", () => group.classList.remove("border-primary"));
      group.addEventListener("drop", (event) => {
        event.preventDefault();
        group.classList.remove("border-primary");
        if (!dragged) {
          return;
        }
        const select = dragged.querySelector("select");
        select.value = group.dataset.group;
        moveCard(form, dragged, group.dataset.group);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-composer]").forEach(setUp);
  });
})();
