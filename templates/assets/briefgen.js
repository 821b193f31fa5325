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

  /* Timeline: filter events by actor, using each item's data-actors. */
  var form = document.getElementById("timeline-filter");
  if (!form) return;
  var select = form.querySelector("select");
  var status = form.querySelector("output");
  var items = document.querySelectorAll(".tl-month .ev");

  function apply(id) {
    var shown = 0;
    items.forEach(function (li) {
      var on = !id || (" " + li.getAttribute("data-actors") + " ").indexOf(" " + id + " ") >= 0;
      li.hidden = !on;
      if (on) shown++;
    });
    document.querySelectorAll(".tl-month, .tl-year").forEach(function (s) {
      s.hidden = !s.querySelector(".ev:not([hidden])");
    });
    var name = id ? select.options[select.selectedIndex].text : "";
    status.textContent = id ? shown + " of " + items.length + " events involve " + name : "";
  }

  /* The chosen actor lives in the query (?actor=id), so actor pages can link
     to their events on the timeline and the choice survives a reload. */
  function fromQuery() {
    var m = location.search.match(/[?&]actor=([a-z0-9-]+)/);
    var id = m && select.querySelector('option[value="' + m[1] + '"]') ? m[1] : "";
    select.value = id;
    apply(id);
  }

  select.addEventListener("change", function () {
    var id = select.value;
    apply(id);
    try {
      history.replaceState(null, "", location.pathname + (id ? "?actor=" + id : "") + location.hash);
    } catch (e) { /* some browsers refuse this on file:// */ }
  });
  form.hidden = false;
  fromQuery();
})();
