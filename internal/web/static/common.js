// Small behaviours shared by pages: print buttons, confirmations.
"use strict";
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.hidden = false;
  b.addEventListener("click", function () { window.print(); });
});
document.addEventListener("submit", function (e) {
  var q = e.submitter && e.submitter.getAttribute("data-confirm");
  if (q && !window.confirm(q)) e.preventDefault();
});
