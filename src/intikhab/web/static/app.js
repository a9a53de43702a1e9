// intikhab — the minute form's live checks, running sums and highlighted fields, and the
// print button.  Plain JavaScript from 'self', no build step, no inline handler; every page
// also works without it (the server checks again).
"use strict";
(function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // "back" links: the previous page when there is one (no javascript: URL, for the CSP)
  document.querySelectorAll("a[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (window.history.length > 1) { e.preventDefault(); window.history.back(); }
    });
  });
  document.querySelectorAll("input[data-picker]").forEach(function (box) {
    var list = document.getElementById(box.dataset.picker);
    box.addEventListener("input", function () {
      var needle = box.value.trim().toLowerCase();
      list.querySelectorAll("label").forEach(function (label) {
        label.hidden = needle !== "" && label.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  });
  var form = document.getElementById("minute");
  var list = document.getElementById("findings");
  if (!form || !list) { return; }
  var submit = document.getElementById("submit");
  var lang = list.dataset.lang;
  var ticked = new Set();
  document.querySelectorAll("input[name=accept]:checked").forEach(function (c) { ticked.add(c.value); });
  var timer = null, seq = 0, findings = [], complete = false;

  function blocked() {
    return findings.some(function (f) {
      return f.level === "error" || !ticked.has(f.code);
    });
  }
  var EAST = "٠١٢٣٤٥٦٧٨٩";
  var sums = document.getElementById("sums");
  function figure(v) {
    var t = String(v);
    if (sums && sums.dataset.eastern) {
      t = t.replace(/[0-9]/g, function (d) { return EAST[+d]; });
    }
    return t;
  }
  function read(name) {
    var el = form.querySelector("[name='" + name + "']");
    if (!el || el.value.trim() === "") { return null; }
    var v = el.value.trim().replace(/[٠-٩]/g, function (d) { return EAST.indexOf(d); });
    return /^[0-9]+$/.test(v) ? parseInt(v, 10) : NaN;
  }
  function drawSums() {
    if (!sums) { return; }
    var left = 0, typed = false;
    form.querySelectorAll("input[name^='v.']").forEach(function (el) {
      var v = read(el.name);
      if (v !== null) { typed = true; left += isNaN(v) ? 0 : v; }
    });
    ["void", "illegal"].forEach(function (k) {
      var v = read(k);
      if (v !== null && !isNaN(v)) { left += v; typed = true; }
    });
    var right = read("ballots");
    document.getElementById("sum-left").textContent = typed ? figure(left) : "—";
    document.getElementById("sum-right").textContent =
      right === null || isNaN(right) ? "—" : figure(right);
    var diff = document.getElementById("sum-diff");
    var line = document.getElementById("sum-line");
    if (!typed || right === null || isNaN(right)) {
      diff.textContent = ""; line.className = ""; return;
    }
    var d = right - left;
    diff.textContent = d === 0 ? sums.dataset.ok
      : (d > 0 ? sums.dataset.missing : sums.dataset.extra).replace("{n}", figure(Math.abs(d)));
    line.className = d === 0 ? "" : "off";
  }
  function mark() {
    var bad = new Set(findings.filter(function (f) { return f.level === "error"; })
      .map(function (f) { return f.input; }));
    form.querySelectorAll("input.num").forEach(function (el) {
      if (bad.has(el.name)) { el.setAttribute("aria-invalid", "true"); }
      else { el.removeAttribute("aria-invalid"); }
    });
  }
  function draw() {
    mark();
    list.textContent = "";
    if (!findings.length && complete) {
      var ok = document.createElement("li");
      ok.className = "muted"; ok.textContent = list.dataset.ok;
      list.appendChild(ok);
    }
    findings.forEach(function (f) {
      var li = document.createElement("li");
      li.className = f.level;
      var code = document.createElement("code");
      code.textContent = f.code;
      li.appendChild(code);
      li.appendChild(document.createTextNode(" " + (f[lang] || f.ar)));
      if (f.level === "warning") {
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox"; box.name = "accept"; box.value = f.code;
        box.setAttribute("form", "minute");
        box.checked = ticked.has(f.code);
        box.addEventListener("change", function () {
          if (box.checked) { ticked.add(f.code); } else { ticked.delete(f.code); }
          submit.disabled = blocked();
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + list.dataset.accept));
        li.appendChild(document.createElement("br"));
        li.appendChild(label);
      }
      list.appendChild(li);
    });
    submit.disabled = blocked();
  }
  function check() {
    var mine = ++seq;
    var data = new FormData(form);
    data.delete("accept");
    fetch(form.dataset.check, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRF-Token": form.querySelector("input[name=csrf_token]").value}
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (body && mine === seq) { findings = body.findings; complete = body.complete; draw(); }
    }).catch(function () { /* offline: the server checks on submit */ });
  }
  form.addEventListener("input", function (e) {
    if (e.target.name === "accept") { return; }
    drawSums();
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  drawSums();
  if (form.querySelector("input[name=registered]").value) { check(); }
})();
