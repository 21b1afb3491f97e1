// Live reload for `invoke serve` only: preview/server.py adds this script to
// pages as it serves them; it is never written into output/. textContent
// only (problem lines are an editor's text, never markup); system colours
// follow the reader's scheme; nothing moves.
(() => {
  const version = Number(document.currentScript.dataset.version);
  const events = new EventSource("/__preview/events");
  const add = (parent, tag, text = "") => {
    const child = parent.appendChild(document.createElement(tag));
    child.textContent = text;
    return child;
  };
  let dialog, heading, list, next;

  events.addEventListener("rebuilt", (event) => {
    if (JSON.parse(event.data).version !== version) location.reload();
  });

  events.addEventListener("failed", (event) => {
    const report = JSON.parse(event.data);
    if (!dialog) {
      dialog = add(document.body, "dialog");
      dialog.setAttribute("aria-labelledby", "app-preview-problems");
      dialog.style.cssText =
        "color-scheme:light dark;background:Canvas;color:CanvasText;" +
        "border:2px solid;max-width:min(40em,100% - 2em);overflow-wrap:anywhere";
      heading = add(dialog, "h2");
      heading.id = "app-preview-problems";
      list = add(dialog, "ul");
      next = add(dialog, "p");
      const close = add(dialog, "button", "Show the last good build");
      close.style.font = "inherit";
      close.onclick = () => dialog.close();
    }
    heading.textContent = report.heading;
    list.replaceChildren();
    for (const problem of report.problems) add(list, "li", problem);
    next.textContent = report.next;
    if (!dialog.open) dialog.showModal();
  });
})();
