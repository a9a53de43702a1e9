// intikhab — the only script: the minute form's live checks and the print button.
// Plain JavaScript, no build step; every page also works without it (the server checks again).
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
  var form = document.getElementById("minute");
  var list = document.getElementById("findings");
  if (!form || !list) { return; }
  var submit = document.getElementById("submit");
  var lang = list.dataset.lang;
  var ticked = new Set();
  document.querySelectorAll("input[name=accept]:checked").forEach(function (c) { ticked.add(c.value); });
  var timer = null, seq = 0, findings = [];

  function blocked() {
    return findings.some(function (f) {
      return f.level === "error" || !ticked.has(f.code);
    });
  }
  function draw() {
    list.textContent = "";
    if (!findings.length) {
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
      if (body && mine === seq) { findings = body.findings; draw(); }
    }).catch(function () { /* offline: the server checks on submit */ });
  }
  form.addEventListener("input", function (e) {
    if (e.target.name === "accept") { return; }
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  if (form.querySelector("input[name=registered]").value) { check(); }
})();
