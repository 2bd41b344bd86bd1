/* HARMONY Catalogue page behaviour, loaded from a file because the Content-Security-Policy forbids inline
   scripts and style attributes.

   Bars and progress meters carry their length as data-width="<percent>"; it is applied here through the CSSOM
   (which the policy allows), on the first load and on every fragment htmx swaps in. */
(function () {
  "use strict";

  function applyWidths(root) {
    var bars = root.querySelectorAll ? root.querySelectorAll("[data-width]") : [];
    for (var i = 0; i < bars.length; i++) {
      var percent = parseFloat(bars[i].getAttribute("data-width"));
      if (!isNaN(percent)) {
        bars[i].style.width = Math.max(0, Math.min(100, percent)) + "%";
      }
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(applyWidths);
  } else {
    document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  }
})();
