/* briefgen: preview cards. Pointing at or focusing a link to an actor, an event or an
   article shows a small card (name, kind, role or date, first sentence) from the data the
   build writes (previews.js, loaded on first use). Escape closes it; on a touch screen the
   first tap shows the card and the second follows the link. Without JavaScript a link is
   just a link. */
(function () {
  "use strict";

  var me = document.currentScript;
  if (!me || !window.addEventListener) return;
  var root = me.src.replace(/assets\/cards\.js(\?.*)?$/, "");
  var PAGE = /^(actors|events|articles)\/[^\/?#]+\/(index\.html)?$/;
  var SHOW_DELAY = 250, HIDE_DELAY = 200;

  var card = null, current = null, timer = 0, loading = false, pending = null, touched = false;

  /* The card's key for a link ("actors/aliyev/"), or "" if it leads to no actor, event or article
     page of this brief, or to the page itself. */
  function keyOf(a) {
    if (!a || a.closest(".preview-card") || a.hash && a.pathname === location.pathname) return "";
    var href = urlOf(a).split("#")[0].split("?")[0];
    if (href.indexOf(root) !== 0) return "";
    var rest = href.slice(root.length);
    if (!PAGE.test(rest)) return "";
    var here = location.href.split("#")[0].split("?")[0];
    if (href === here || href + "index.html" === here || href === here + "index.html") return "";
    return rest.replace(/index\.html$/, "");
  }

  /* A link's address: an SVG link's href (the network of actors) is an object, not a string. */
  function urlOf(a) {
    if (typeof a.href === "string") return a.href;
    var raw = a.href && a.href.baseVal || a.getAttribute("href") || "";
    try { return raw ? new URL(raw, document.baseURI).href : ""; } catch (e) { return ""; }
  }

  function data(then) {
    if (window.briefgenPreviews) return then();
    pending = then;
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root + "previews.js";
    s.onload = function () { if (pending) pending(); pending = null; };
    document.head.appendChild(s);
  }

  function element(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function make() {
    card = element("div", "preview-card");
    card.id = "preview-card";
    card.hidden = true;
    card.addEventListener("mouseenter", function () { clearTimeout(timer); });
    card.addEventListener("mouseleave", function () { later(hide, HIDE_DELAY); });
    (document.getElementById("main") || document.body).appendChild(card);  /* in a landmark */
  }

  function fill(a, entry) {
    card.textContent = "";
    card.className = "preview-card" + (entry.c ? " kind-" + entry.c : "");
    card.appendChild(element("p", "preview-kind", entry.k));
    var title = element("p", "preview-title");
    var link = element("a", "", entry.t);
    link.href = urlOf(a);
    link.tabIndex = -1;  /* keyboard users are on the link already; this one is for touch */
    title.appendChild(link);
    card.appendChild(title);
    if (entry.d) card.appendChild(element("p", "preview-detail", entry.d));
    if (entry.s) card.appendChild(element("p", "preview-text", entry.s));
  }

  function place(a) {
    var r = a.getBoundingClientRect();
    var width = card.offsetWidth, gap = 8;
    var left = Math.max(gap, Math.min(r.left, document.documentElement.clientWidth - width - gap));
    var below = r.bottom + card.offsetHeight + gap < window.innerHeight || r.top < card.offsetHeight + gap;
    var top = below ? r.bottom + 6 : r.top - card.offsetHeight - 6;
    card.style.left = (left + window.scrollX) + "px";
    card.style.top = (top + window.scrollY) + "px";
  }

  function show(a) {
    var key = keyOf(a);
    if (!key) return;
    data(function () {
      var entry = window.briefgenPreviews && window.briefgenPreviews[key];
      if (!entry) return;
      if (!card) make();
      if (a.title) { a.setAttribute("data-title", a.title); a.removeAttribute("title"); }  /* no second tooltip */
      fill(a, entry);
      if (current && current !== a) current.removeAttribute("aria-describedby");
      current = a;
      a.setAttribute("aria-describedby", card.id);
      card.hidden = false;
      place(a);
    });
  }

  function hide() {
    clearTimeout(timer);
    pending = null;
    if (!card || card.hidden) return;
    card.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  function linkOf(e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    return a && keyOf(a) ? a : null;
  }

  document.addEventListener("pointerdown", function (e) { touched = e.pointerType === "touch"; }, true);
  document.addEventListener("mouseover", function (e) {
    if (touched) return;
    var a = linkOf(e);
    if (a) later(function () { show(a); }, SHOW_DELAY);
  });
  document.addEventListener("mouseout", function (e) {
    var a = linkOf(e);
    if (a && !a.contains(e.relatedTarget)) later(hide, HIDE_DELAY);
  });
  document.addEventListener("focusin", function (e) {
    var a = linkOf(e);
    if (a && !touched) show(a);
  });
  document.addEventListener("focusout", function (e) {
    if (linkOf(e) && !touched) hide();
  });
  document.addEventListener("click", function (e) {
    var a = linkOf(e);
    if (!touched) return;
    if (a && a !== current) {  /* first tap: the card; a tap on its link, or the same link again, goes */
      e.preventDefault();
      show(a);
    } else if (!a && card && !card.contains(e.target)) {
      hide();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && card && !card.hidden) hide();
  });
  window.addEventListener("resize", hide);
})();
