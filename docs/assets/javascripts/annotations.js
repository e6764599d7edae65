// Code annotations: Material draws each annotation's number with CSS, so the link around it has
// no text that a screen reader (or axe-core's link-name rule) can name. Label each one, including
// those Material adds after the page has loaded.
(function () {
  function label() {
    document.querySelectorAll(".md-annotation__index:not([aria-label])").forEach(function (link) {
      var number = link.querySelector("[data-md-annotation-id]");
      var id = number ? " " + number.getAttribute("data-md-annotation-id") : "";
      link.setAttribute("aria-label", "Annotation" + id);
    });
  }
  new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
  label();
})();
