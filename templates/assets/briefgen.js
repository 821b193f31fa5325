/* briefgen: small progressive enhancements. Every page works without it. */
(function () {
  "use strict";

  /* Opened from disk (file://) a folder link does not load its index.html:
     point folder links written in article bodies at the file itself. */
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href)) return;
      var m = href.match(/^([^?#]*)(.*)$/);
      if (m[1] === "" || m[1].slice(-1) === "/") {
        a.setAttribute("href", m[1] + "index.html" + m[2]);
      }
    });
    /* and the browser blocks the search index: the search box says so. */
    var hint = document.getElementById("site-search-hint");
    if (hint) {
      hint.hidden = false;
      document.getElementById("site-search-q").setAttribute("aria-describedby", hint.id);
    }
  }
})();
