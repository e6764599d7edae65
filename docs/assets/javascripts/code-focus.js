// A code block too wide for the page scrolls sideways, and a keyboard user can scroll it only
// once it can take the focus (axe: scrollable-region-focusable). Material makes it focusable when
// it mounts the block, and with `content.lazy` (mkdocs.yml) it mounts a block only as it scrolls
// into view. So mark every wide block now, in one pass: all the measuring first, then all the
// changes, so that the page is laid out once, not once a block.
(function () {
  var blocks = Array.prototype.slice.call(document.querySelectorAll(".highlight > pre > code"));
  blocks
    .filter(function (code) {
      return code.scrollWidth > code.clientWidth;
    })
    .forEach(function (code) {
      code.setAttribute("tabindex", "0");
    });
})();
