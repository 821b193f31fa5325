/* briefgen: the search page. Pagefind's index (pagefind/, made by briefgen build)
   is loaded only here; without JavaScript, or from file://, the page says so and
   points to the actor index and the timeline. */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form) return;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 20;
  var root = new URL(form.getAttribute("data-root") || "./", location.href);
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";

  function unavailable(reason) {
    var box = document.getElementById("search-unavailable");
    box.querySelector('[data-when="' + reason + '"]').hidden = false;
    box.hidden = false;
    status.textContent = "";
  }

  /* Browsers refuse scripts and data from file:// to a page opened from disk. */
  if (location.protocol === "file:") {
    unavailable("file");
    return;
  }

  var pagefind = null;
  var results = [];
  var shown = 0;
  var current = 0;

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  /* Pagefind's excerpt is HTML with <mark> around the words found: keep the
     text and the marks, nothing else. */
  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "result-excerpt";
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") p.appendChild(text("mark", "", node.textContent));
      else p.appendChild(document.createTextNode(node.textContent));
    });
    return p;
  }

  function item(data) {
    var meta = data.meta || {};
    var li = document.createElement("li");
    li.className = "result result-" + (meta.kind || "page").toLowerCase();
    var label = meta.kind || "Page";
    if (meta.actor_kind) label += " · " + meta.actor_kind;
    li.appendChild(text("p", "result-kind", label));
    var h = document.createElement("h2");
    h.className = "result-title";
    var a = text("a", "", meta.title || data.url);
    a.href = new URL(data.url.replace(/^\/+/, ""), root).href;
    h.appendChild(a);
    li.appendChild(h);
    var facts = [meta.date, meta.place, meta.role].filter(Boolean).join(" · ");
    if (facts) li.appendChild(text("p", "result-facts", facts));
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  function showMore(search) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (search !== current) return;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      shown += batch.length;
      more.hidden = shown >= results.length;
    });
  }

  function run() {
    var query = input.value.trim();
    var search = ++current;
    try {
      history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    } catch (e) { /* not allowed everywhere; the search still runs */ }
    list.textContent = "";
    more.hidden = true;
    results = [];
    shown = 0;
    if (!query) {
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    return pagefind.search(query).then(function (found) {
      if (search !== current) return;
      results = found.results;
      status.textContent = results.length
        ? results.length + " result" + (results.length === 1 ? "" : "s") + " for “" + query + "”"
        : "Nothing found for “" + query + "”. Try another spelling, or browse the actor index and the timeline.";
      return showMore(search);
    });
  }

  /* Until the index has loaded, the query waits in the box; loading runs it. */
  function go() {
    if (!pagefind) return;
    run().catch(function () {
      status.textContent = "The search failed. Reload the page to try again.";
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(go, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    go();
  });
  more.addEventListener("click", function () { showMore(current); });

  import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
    return module.options({ baseUrl: "/", excerptLength: 24 }).then(function () { return module; });
  }).then(function (module) {
    pagefind = module;
    go();
  }, function () {
    unavailable("missing");
  });
})();
