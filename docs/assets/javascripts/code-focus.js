// A code block too wide for the page scrolls sideways, and a keyboard user can scroll it only
// once it can take the focus (axe: scrollable-region-focusable). Material makes it focusable when
// it mounts the block, and with `content.lazy` (mkdocs.yml) it mounts a block only as it scrolls
// into view. So mark every wide block at start-up, in one pass: all the measuring first, then all
// the changes. It runs on DOMContentLoaded, after Material's own start-up (this script is loaded
// after Material's bundle, so its listener comes second): the layout Material has just computed
// is measured again for free, instead of a layout of the whole page in a task of its own.
document.addEventListener("DOMContentLoaded", function () {
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".highlight > pre > code"));
  blocks
    .filter(function (code) {
      return code.scrollWidth > code.clientWidth;
    })
    .forEach(function (code) {
      code.setAttribute("tabindex", "0");
    });
});
