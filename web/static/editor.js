// Draft editor: live moderation while typing (debounced), highlights with tooltips, one-click fixes,
// the platform's character count and the verdict. All untrusted text goes in via textContent.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var area = document.getElementById("draft-text");
  var verdict = document.getElementById("verdict");
  var counter = document.getElementById("counter");
  var marks = document.getElementById("highlights");
  var backdrop = document.getElementById("backdrop");
  var list = document.getElementById("live-findings");
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var caseId = parseInt(form.dataset.caseId, 10);
  var REPLACE = { pii: true, spelling: true, policy: true };
  var timer = null;
  var sequence = 0;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function fixFor(f) {
    if (REPLACE[f.check] && f.suggestions.length) {
      return { text: f.suggestions[0], label: f.suggestions[0] ? "Replace with “" + f.suggestions[0] + "”" : "Remove" };
    }
    return { text: "", label: "Remove this sentence", sentence: true };
  }

  // Widen a span to its whole sentence, so removing an insult leaves no broken sentence behind.
  function sentenceOf(text, start, end) {
    while (start > 0 && !/[.!?\n]/.test(text.charAt(start - 1))) { start--; }
    while (end < text.length && !/[.!?\n]/.test(text.charAt(end))) { end++; }
    while (end < text.length && /[.!?]/.test(text.charAt(end))) { end++; }
    return [start, end];
  }

  function visible(f, text) {
    return f.end > f.start && !(f.start === 0 && f.end === text.length && f.severity === "info");
  }

  function apply(f) {
    var text = area.value;
    if (text.slice(f.start, f.end) !== f.text) { schedule(0); return; }
    var fix = fixFor(f);
    var span = fix.sentence ? sentenceOf(text, f.start, f.end) : [f.start, f.end];
    var before = text.slice(0, span[0]);
    var after = text.slice(span[1]);
    if (fix.sentence) {
      before = before.replace(/\s+$/, "");
      after = after.replace(/^\s+/, before && after ? " " : "");
    }
    area.value = before + fix.text + after;
    grow();
    renderBackdrop(area.value, []);
    area.focus();
    schedule(0);
  }

  function fixButton(f) {
    var button = el("button", "apply-fix", fixFor(f).label);
    button.type = "button";
    button.dataset.check = f.check;
    button.addEventListener("click", function () { apply(f); });
    return button;
  }

  function tooltip(f) {
    var tip = el("span", "tip");
    tip.setAttribute("role", "tooltip");
    tip.appendChild(el("strong", "", f.check + " · " + f.label + " (" + f.severity + ")"));
    tip.appendChild(el("span", "why", f.message));
    if (f.suggestions.length && f.suggestions[0]) { tip.appendChild(el("span", "sugg", "Suggestion: " + f.suggestions[0])); }
    tip.appendChild(fixButton(f));
    return tip;
  }

  function renderMarks(text, findings) {
    marks.replaceChildren();
    var pos = 0;
    findings.filter(function (f) { return visible(f, text); }).forEach(function (f) {
      if (f.start < pos) { return; }
      marks.appendChild(document.createTextNode(text.slice(pos, f.start)));
      var mark = el("mark", "finding " + f.check + " " + f.severity);
      mark.dataset.check = f.check;
      mark.tabIndex = 0;
      mark.appendChild(el("span", "marked", text.slice(f.start, f.end)));
      mark.appendChild(tooltip(f));
      marks.appendChild(mark);
      pos = f.end;
    });
    marks.appendChild(document.createTextNode(text.slice(pos)));
  }

  // In-place highlights: a mirror behind the transparent textarea with the same text and metrics.
  function renderBackdrop(text, findings) {
    backdrop.replaceChildren();
    var pos = 0;
    (findings || []).filter(function (f) { return visible(f, text); }).forEach(function (f) {
      if (f.start < pos) { return; }
      backdrop.appendChild(document.createTextNode(text.slice(pos, f.start)));
      backdrop.appendChild(el("mark", f.check + " " + f.severity, text.slice(f.start, f.end)));
      pos = f.end;
    });
    backdrop.appendChild(document.createTextNode(text.slice(pos) + "\n"));
    backdrop.scrollTop = area.scrollTop;
  }

  function grow() {
    area.style.height = "auto";
    area.style.height = Math.max(area.scrollHeight + 2, 96) + "px";
  }

  function renderList(text, findings) {
    list.replaceChildren();
    findings.forEach(function (f) {
      var item = el("li", f.severity, "[" + f.severity + "] " + f.check + ": “" + f.text + "” — " + f.message + " ");
      item.dataset.check = f.check;
      if (visible(f, text)) { item.appendChild(fixButton(f)); }
      list.appendChild(item);
    });
  }

  function render(text, data) {
    verdict.textContent = "verdict: " + data.action;
    verdict.className = "verdict " + data.action;
    counter.textContent = data.length.count + " / " + data.length.limit + " (" + data.length.platform + ")";
    counter.classList.toggle("over", data.length.remaining < 0);
    renderMarks(text, data.findings);
    renderBackdrop(text, data.findings);
    renderList(text, data.findings);
    form.dataset.checked = String(sequence);
  }

  function run() {
    var mine = ++sequence;
    var text = area.value;
    verdict.classList.add("checking");
    fetch(form.dataset.checkUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ text: text, case_id: caseId })
    }).then(function (resp) {
      return resp.json().then(function (data) { return { ok: resp.ok, data: data }; });
    }).then(function (res) {
      if (mine !== sequence) { return; }
      if (!res.ok) { verdict.textContent = "not checked: " + (res.data.error || "error"); return; }
      render(text, res.data);
    }).catch(function () {
      if (mine === sequence) { verdict.textContent = "not checked: the server could not be reached"; }
    });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, delay === undefined ? 400 : delay);
  }

  document.querySelectorAll(".use-suggestion").forEach(function (button) {
    button.addEventListener("click", function () {
      area.value = button.dataset.text;
      grow();
      document.getElementById("draft-private").checked = button.dataset.private === "1";
      schedule(0);
    });
  });
  area.addEventListener("input", function () { grow(); renderBackdrop(area.value, []); schedule(); });
  area.addEventListener("scroll", function () { backdrop.scrollTop = area.scrollTop; });
  grow();
  if (area.value) { schedule(0); }
})();
