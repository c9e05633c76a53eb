// A table wider than the screen scrolls inside its .pep-table-scroll box. Keyboard users must be able to
// scroll it too (WCAG 2.1.1), so a box that overflows becomes a focusable, named region; one that fits
// is left alone, out of the tab order.
function mark(box) {
  var caption = box.querySelector("caption");
  if (box.scrollWidth > box.clientWidth + 1) {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
  } else if (box.getAttribute("role") === "region") {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

function markAll() {
  document.querySelectorAll(".pep-table-scroll").forEach(mark);
}

markAll();
var pending;
window.addEventListener("resize", function () {
  clearTimeout(pending);
  pending = setTimeout(markAll, 100);
});
