/* Behaviour of the catalogue pages that only improves what already works without script (the
   Content-Security-Policy forbids inline script, so it lives here):

   - the header's menu button on phones, which folds the navigation links away until asked for;
   - the search page's facet panel, folded on phones so that the results are not pushed below it;
   - the progress of an upload sent by htmx from a form marked data-upload-progress="<id of the progress box>";
   - the search page's intended-use controls, whose refused values (HTTP 400) are shown, not dropped as htmx does
     with error answers: the answer carries the field's message next to the control.

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

  function progressBox(form) {
    var id = form && form.getAttribute ? form.getAttribute("data-upload-progress") : null;
    return id ? document.getElementById(id) : null;
  }

  function showProgress(box, percent) {
    box.hidden = false;
    box.querySelector("progress").value = percent;
    // The words come translated from the page (data-uploading, data-uploaded).
    var words = box.getAttribute(percent < 100 ? "data-uploading" : "data-uploaded");
    box.querySelector("[role=status]").textContent = words + " " + percent + "%";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = progressBox(event.target);
    if (box) { showProgress(box, 0); }
  });

  // htmx reports the upload's and then the response's progress under one name: the bar only ever grows.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var box = progressBox(event.target);
    if (box && event.detail.lengthComputable && event.detail.total > 0) {
      var percent = Math.floor(100 * event.detail.loaded / event.detail.total);
      showProgress(box, Math.max(percent, box.querySelector("progress").value));
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    if (event.detail.xhr.status === 400 && source && source.id === "intended-use") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUpNavigation();
    foldFacetsOnPhones();
  });
})();
