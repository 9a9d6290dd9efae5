// Undo window: count down to the moment an approved reply is posted; after it, cancelling is too late.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll(".undo-countdown[data-at]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.at) - Date.now()) / 1000);
      var form = el.closest("section, p").querySelector(".cancel-post button");
      if (left > 0) { el.textContent = left + " s"; return; }
      el.textContent = "now (being posted)";
      if (form) { form.disabled = true; }
    });
  }
  if (document.querySelector(".undo-countdown[data-at]")) {
    tick();
    window.setInterval(tick, 1000);
  }
})();
