// Copy-to-clipboard for citations and the calendar address. Without JavaScript the
// button stays hidden and the text (a <pre> or a read-only field) is still there to
// select and copy by hand.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) return;
  const isField = source instanceof HTMLInputElement;
  const label = button.textContent;
  const status = document.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(isField ? source.value : source.textContent);
    } catch (error) {
      console.warn("Copying failed, selecting the text instead:", error);
      // Permission refused: select the text so Ctrl+C works.
      if (isField) {
        source.select();
        return;
      }
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    button.textContent = button.dataset.copiedText;
    if (status) status.textContent = button.dataset.copiedText;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});
