// Page helpers without inline script (the CSP forbids it): SLA countdowns, select-all, keyboard shortcuts.
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

  // Keyboard: j/k move through the inbox, Enter opens, a assigns to me, r opens the reply box, ? shows help.
  var SHORTCUTS = [["j", "next case"], ["k", "previous case"], ["Enter", "open the case"],
                   ["a", "assign the case to me"], ["r", "reply (open the case at the reply box)"],
                   ["?", "show or hide this help"], ["Esc", "close this help"]];
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.case-row[data-href]"));
  var current = -1;

  function focusRow(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (row, n) { row.classList.toggle("focused", n === current); });
    rows[current].setAttribute("tabindex", "-1");
    rows[current].focus({ preventScroll: true });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function assignCurrent() {
    var bulk = document.getElementById("bulk");
    if (current < 0 || !bulk) { return; }
    var form = document.createElement("form");
    form.method = "post";
    form.action = bulk.getAttribute("action");  // bulk.action is its buttons named "action"
    var fields = { csrf_token: bulk.querySelector("[name=csrf_token]").value, action: "assign", assignee: "me",
                   case_id: rows[current].dataset.caseId, back: bulk.querySelector("[name=back]").value };
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function helpOverlay() {
    var box = document.getElementById("shortcut-help");
    if (box) { box.hidden = !box.hidden; return; }
    box = document.createElement("div");
    box.id = "shortcut-help";
    box.className = "overlay";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Keyboard shortcuts");
    var inner = document.createElement("div");
    inner.className = "card";
    var title = document.createElement("h2");
    title.textContent = "Keyboard shortcuts";
    inner.appendChild(title);
    var list = document.createElement("dl");
    SHORTCUTS.forEach(function (pair) {
      var key = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = pair[0];
      key.appendChild(kbd);
      var what = document.createElement("dd");
      what.textContent = pair[1];
      list.appendChild(key);
      list.appendChild(what);
    });
    inner.appendChild(list);
    box.appendChild(inner);
    box.addEventListener("click", function () { box.hidden = true; });
    document.body.appendChild(box);
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "Enter" && /^(A|BUTTON)$/.test(event.target.tagName)) { return; }
    var help = document.getElementById("shortcut-help");
    if (event.key === "?") { helpOverlay(); event.preventDefault(); return; }
    if (event.key === "Escape" && help) { help.hidden = true; return; }
    if (!rows.length) {
      if (event.key === "r" && document.getElementById("draft-text")) {
        document.getElementById("draft-text").focus();
        event.preventDefault();
      }
      return;
    }
    if (event.key === "j") { focusRow(current + 1); }
    else if (event.key === "k") { focusRow(current < 0 ? 0 : current - 1); }
    else if (event.key === "Enter" && current >= 0) { window.location.href = rows[current].dataset.href; }
    else if (event.key === "r" && current >= 0) { window.location.href = rows[current].dataset.href + "#reply"; }
    else if (event.key === "a") { assignCurrent(); }
    else { return; }
    event.preventDefault();
  });

  if (window.location.hash === "#reply" && document.getElementById("draft-text")) {
    document.getElementById("draft-text").focus();
  }
})();
