/* Behaviour of the catalogue pages that only improves what already works without script (the
   Content-Security-Policy forbids inline script, so it lives here):

   - the header's menu button on phones, which folds the navigation links away until asked for;
   - the search page's facet panel, folded on phones so that the results are not pushed below it.

   Listeners are delegated from the document so that they survive htmx swaps and history restores. */
(function () {
  "use strict";

  var PHONE = "(max-width: 48rem)";

  function setUpNavigation() {
    var toggle = document.querySelector(".nav-toggle");
    if (!toggle) { return; }
    toggle.hidden = false;
    toggle.closest(".site-nav").classList.add("collapsible");
  }

  function foldFacetsOnPhones() {
    var panel = document.getElementById("facets");
    if (panel && window.matchMedia(PHONE).matches && !panel.hasAttribute("data-unfolded")) {
      panel.open = false;
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest(".nav-toggle") : null;
    if (!toggle) { return; }
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.closest(".site-nav").classList.toggle("open", open);
  });

  // A reader who opened the facet panel keeps it open while the facets apply.
  document.addEventListener("toggle", function (event) {
    if (event.target.id === "facets" && event.target.open) {
      event.target.setAttribute("data-unfolded", "");
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    setUpNavigation();
    foldFacetsOnPhones();
  });
})();
