/* briefgen: the filters of the timeline, the article list and the actor index.
   Every item is in the page; this hides the ones the reader's choices leave
   out, from facets.js (window.briefgenFacets), which the build writes. The
   choices live in the query (?actor=aliyev&kind=state&from=2020-07-01), so a
   filtered view can be shared, reloaded, and linked to from actor pages. */
(function () {
  "use strict";
  var form = document.getElementById("facets");
  var data = window.briefgenFacets;
  if (!form || !data) return;
  var listing = form.getAttribute("data-listing");
  var noun = form.getAttribute("data-noun");
  /* facets.js numbers actors and topics (places in its lists): spell them out once */
  var kinds = {};
  data.actors.forEach(function (a) { kinds[a[0]] = a[1]; });
  function spell(d) {
    var roles = {};
    Object.keys(d.r || {}).forEach(function (n) { roles[data.actors[n][0]] = d.r[n]; });
    return {id: d.id, from: d.from, to: d.to, roles: roles,
            actors: d.a.map(function (n) { return data.actors[n][0]; }),
            topics: (d.t || []).map(function (n) { return data.topics[n]; })};
  }
  var status = form.querySelector("output");
  var NAMES = ["actor", "kind", "role", "topic"];
  var DAY = /^\d{4}-\d{2}-\d{2}$/;

  var docs = (listing === "articles" ? data.articles : listing === "events" ? data.events
              : data.events.concat(data.articles)).map(spell);
  var items = [];
  document.querySelectorAll(listing === "actors" ? ".actor-list li[data-id]" :
                            listing === "events" ? ".tl-month .ev[data-id]" : ".articles .art[data-id]")
    .forEach(function (li) { items.push(li); });
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var namedIn = {};  /* actor index: the documents that name each actor */
  if (listing === "actors") {
    docs.forEach(function (d) {
      d.actors.forEach(function (a) { (namedIn[a] = namedIn[a] || []).push(d); });
    });
  }

  function day(value) { return DAY.test(value) ? parseInt(value.replace(/-/g, ""), 10) : 0; }
  function any(list, chosen) {
    for (var i = 0; i < list.length; i++) if (chosen.indexOf(list[i]) >= 0) return true;
    return false;
  }
  function values(obj) { return Object.keys(obj).map(function (k) { return obj[k]; }); }

  function choices() {
    var s = {actor: [], kind: [], role: [], topic: []};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      if (s[box.name]) s[box.name].push(box.value);
    });
    s.from = form.elements.from ? day(form.elements.from.value) : 0;
    s.to = form.elements.to ? day(form.elements.to.value) : 0;
    return s;
  }

  /* A document (an event or an article) the choices allow; `actor` is the actor
     whose role counts, on the actor index. */
  function allows(d, s, actor) {
    for (var i = 0; i < s.actor.length; i++) if (d.actors.indexOf(s.actor[i]) < 0) return false;
    if (s.topic.length && !any(d.topics, s.topic)) return false;
    if (s.from && d.to < s.from) return false;
    if (s.to && d.from > s.to) return false;
    if (s.role.length) {
      if (actor ? s.role.indexOf(d.roles[actor]) < 0 : !any(values(d.roles), s.role)) return false;
    }
    if (!actor && s.kind.length && !any(d.actors.map(function (a) { return kinds[a]; }), s.kind)) return false;
    return true;
  }

  function shows(li, s) {
    var id = li.getAttribute("data-id");
    if (listing !== "actors") return !!byId[id] && allows(byId[id], s, "");
    if (s.kind.length && s.kind.indexOf(kinds[id]) < 0) return false;
    if (!s.actor.length && !s.topic.length && !s.role.length && !s.from && !s.to) return true;
    return (namedIn[id] || []).some(function (d) { return allows(d, s, id); });
  }

  function apply() {
    var s = choices();
    var shown = 0;
    items.forEach(function (li) {
      var on = shows(li, s);
      li.hidden = !on;
      if (on) shown++;
    });
    document.querySelectorAll(".tl-month, .tl-year, .actor-group").forEach(function (section) {
      section.hidden = !section.querySelector("[data-id]:not([hidden])");
    });
    NAMES.forEach(function (name) {
      var mark = form.querySelector('.facet-chosen[data-for="' + name + '"]');
      if (mark) mark.textContent = s[name].length ? "(" + s[name].length + ")" : "";
    });
    var compact = form.elements.view && form.elements.view.checked;
    document.body.classList.toggle("facets-compact", !!compact);
    var filtered = s.actor.length || s.kind.length || s.role.length || s.topic.length || s.from || s.to;
    var text = "";
    if (filtered) {
      text = shown + " of " + items.length + " " + noun + (items.length === 1 ? "" : "s");
      var only = s.actor.length && !s.kind.length && !s.role.length && !s.topic.length && !s.from && !s.to;
      if (only && listing !== "actors") {
        var names = s.actor.map(function (a) {
          return form.querySelector('input[name=actor][value="' + a + '"]').parentNode.textContent.trim();
        });
        text += (shown === 1 ? " involves " : " involve ") + names.join(" and ");
      } else {
        text += " shown";
      }
    }
    status.textContent = text;
    return s;
  }

  function toQuery(s) {
    var parts = [];
    NAMES.forEach(function (name) {
      s[name].forEach(function (v) { parts.push(name + "=" + encodeURIComponent(v)); });
    });
    ["from", "to"].forEach(function (name) {
      if (form.elements[name] && form.elements[name].value) parts.push(name + "=" + form.elements[name].value);
    });
    if (form.elements.view && form.elements.view.checked) parts.push("view=compact");
    return parts.length ? "?" + parts.join("&") : "";
  }

  function fromQuery() {
    var params = new URLSearchParams(location.search);
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
    });
    ["from", "to"].forEach(function (name) {
      var value = params.get(name);
      if (form.elements[name]) form.elements[name].value = value && DAY.test(value) ? value : "";
    });
    var s = apply();
    /* open the groups that hold a choice, so the reader sees what filters the list */
    form.querySelectorAll("details.facet").forEach(function (d) {
      if (d.querySelector("input:checked")) d.open = true;
    });
    return s;
  }

  function changed() {
    apply();
    try {
      history.replaceState(null, "", location.pathname + toQuery(choices()) + location.hash);
    } catch (e) { /* some browsers refuse this on file:// */ }
  }

  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.querySelector(".facet-clear").addEventListener("click", function () {
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name !== "view") box.checked = false;
    });
    ["from", "to"].forEach(function (name) { if (form.elements[name]) form.elements[name].value = ""; });
    changed();
  });
  form.hidden = false;
  fromQuery();
})();
