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
  var action = verdict.className.indexOf("block") >= 0 ? "block" : "unknown";
  // Handles, links, emails and hashtags: a one-click fix must never change who or where a reply points to.
  var PROTECTED = /(?:https?:\/\/|www\.)[^\s<>"']+|[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|(?:^|[^\w@])@\w{1,30}(?:[.@][A-Za-z0-9-]+)*|(?:^|[^\w#])#\w+/gi;

  function touchesProtected(text, f) {
    var m;
    PROTECTED.lastIndex = 0;
    while ((m = PROTECTED.exec(text)) !== null) {
      if (m.index < f.end && f.start < m.index + m[0].length) { return true; }
    }
    return false;
  }

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

  function tooltip(f, text) {
    var tip = el("span", "tip");
    tip.setAttribute("role", "tooltip");
    tip.appendChild(el("strong", "", f.check + " · " + f.label + " (" + f.severity + ")"));
    tip.appendChild(el("span", "why", f.message));
    if (f.suggestions.length && f.suggestions[0]) { tip.appendChild(el("span", "sugg", "Suggestion: " + f.suggestions[0])); }
    if (!touchesProtected(text, f)) { tip.appendChild(fixButton(f)); }
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
      mark.appendChild(tooltip(f, text));
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
      if (visible(f, text) && !touchesProtected(text, f)) { item.appendChild(fixButton(f)); }
      list.appendChild(item);
    });
  }

  function render(text, data) {
    action = data.action;
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
    checking();
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

  // While a check is pending or in flight the old verdict is not shown: it described another text.
  function checking() {
    action = "unknown";
    verdict.textContent = "verdict: checking…";
    verdict.className = "verdict checking";
  }

  function schedule(delay) {
    checking();
    window.clearTimeout(timer);
    timer = window.setTimeout(run, delay === undefined ? 400 : delay);
  }

  // A suggestion goes where the cursor is (replacing only a selection), never over what was typed.
  function insertAtCursor(snippet) {
    var start = area.selectionStart, end = area.selectionEnd, text = area.value;
    if (!text.trim()) { area.value = snippet; return; }
    var before = text.slice(0, start), after = text.slice(end);
    var pad = before && !/\s$/.test(before) ? " " : "";
    area.value = before + pad + snippet + (after && !/^\s/.test(after) ? " " : "") + after;
    area.selectionStart = area.selectionEnd = (before + pad + snippet).length;
  }

  document.querySelectorAll(".use-suggestion").forEach(function (button) {
    button.addEventListener("click", function () {
      insertAtCursor(button.dataset.text);
      grow();
      var priv = document.getElementById("draft-private");
      if (priv && button.dataset.private === "1") { priv.checked = true; }
      area.focus();
      schedule(0);
    });
  });

  // Submitting a blocked reply needs the agent's confirmation: an approver will have to override it.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter || submitter.name !== "submit" || action !== "block") { return; }
    var ok = window.confirm("This reply has a blocking finding. Submit it anyway? " +
                            "An approver will have to override it with a reason.");
    if (!ok) { event.preventDefault(); return; }
    document.getElementById("confirm-block").value = "1";
  });
  area.addEventListener("input", function () { grow(); renderBackdrop(area.value, []); schedule(); });
  area.addEventListener("scroll", function () { backdrop.scrollTop = area.scrollTop; });
  grow();
  if (area.value) { schedule(0); }
})();
