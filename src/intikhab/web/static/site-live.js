// The live-update channel of the published results (docs/publication.md): every 20 s, ask
// /live.json (written by each publication, never cached) which manifest is the newest; when it
// differs from the one this page was published with, offer to reload.  No inline script.
(function () {
  "use strict";
  var first = null;
  var shown = false;
  function banner() {
    if (shown) { return; }
    shown = true;
    var ar = document.documentElement.lang === "ar";
    var box = document.createElement("div");
    box.className = "flash";
    box.setAttribute("role", "status");
    var link = document.createElement("a");
    link.href = window.location.pathname;
    link.textContent = ar ? "نتائج جديدة منشورة: تحديث الصفحة" : "Nouveaux résultats publiés : recharger la page";
    box.appendChild(link);
    var main = document.querySelector("main") || document.body;
    main.insertBefore(box, main.firstChild);
  }
  function check() {
    fetch("/live.json", { cache: "no-store" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (live) {
      if (!live || !live.manifest) { return; }
      if (first === null) { first = live.manifest; } else if (live.manifest !== first) { banner(); }
    }).catch(function () { /* offline: try again later */ });
  }
  check();
  window.setInterval(check, 20000);
}());
