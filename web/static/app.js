// Page helpers without inline script (the CSP forbids it): SLA countdowns and select-all.
(function () {
  "use strict";

  function describe(ms) {
    var s = Math.abs(Math.round(ms / 1000));
    var units = [[86400, "d"], [3600, "h"], [60, "min"]];
    for (var i = 0; i < units.length; i++) {
      if (s >= units[i][0]) { return Math.floor(s / units[i][0]) + " " + units[i][1]; }
    }
    return s + " s";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Date.parse(el.dataset.due) - now;
      el.textContent = left >= 0 ? "due in " + describe(left) : "overdue " + describe(left) + " ago";
      el.classList.toggle("overdue-text", left < 0);
      if (el.closest("tr")) { el.closest("tr").classList.toggle("overdue", left < 0); }
    });
  }

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll('input[name="case_id"]').forEach(function (box) { box.checked = all.checked; });
    });
  }
  if (document.querySelector(".countdown[data-due]")) {
    tick();
    window.setInterval(tick, 30000);
  }
})();
