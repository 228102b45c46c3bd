// dossier default theme: search, the search shortcut, and citation previews.
// Every page works without this script; it only adds to what the HTML already offers.
(function () {
  "use strict";

  // The site's root, from this script's own address, so that a site under a sub-path works.
  var script = document.currentScript;
  var root = new URL(".", script ? script.src : location.href);

  // ---- The "/" shortcut: focus the search field of the page -------------------------
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var field = document.getElementById("search-input") || document.getElementById("site-search");
    if (!field) return;
    e.preventDefault();
    field.focus();
    field.select();
  });

  // ---- Search ------------------------------------------------------------------------
  var input = document.getElementById("search-input");
  if (input) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var engine = null;
    var latest = 0;

    // Pagefind's script and index are fetched only once someone searches.
    var load = function () {
      if (!engine) {
        engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
          return Promise.resolve(pf.options({ baseUrl: root.pathname })).then(function () {
            return pf;
          });
        });
      }
      return engine;
    };

    // An excerpt from the index, keeping only its text and <mark> highlights.
    var excerpt = function (html) {
      var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
      var p = document.createElement("p");
      doc.body.firstChild.childNodes.forEach(function (n) {
        if (n.nodeName === "MARK") {
          var m = document.createElement("mark");
          m.textContent = n.textContent;
          p.appendChild(m);
        } else {
          p.appendChild(document.createTextNode(n.textContent));
        }
      });
      return p;
    };

    var show = function (query, items) {
      list.textContent = "";
      items.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.url;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = (r.meta && r.meta.kind) || "";
        a.appendChild(document.createTextNode((r.meta && r.meta.title) || r.url));
        li.appendChild(kind);
        li.appendChild(a);
        li.appendChild(excerpt(r.excerpt || ""));
        list.appendChild(li);
      });
      var n = items.length;
      status.textContent = n
        ? n + (n === 1 ? " result" : " results") + " for “" + query + "”. Arrow keys move through them."
        : "Nothing found for “" + query + "”.";
    };

    var run = function () {
      var query = input.value.trim();
      var ticket = ++latest;
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      load()
        .then(function (pf) {
          return pf.debouncedSearch(query, {}, 120);
        })
        .then(function (search) {
          if (!search || ticket !== latest) return null;
          return Promise.all(
            search.results.slice(0, 20).map(function (r) {
              return r.data();
            })
          );
        })
        .then(function (items) {
          if (items && ticket === latest) show(query, items);
        })
        .catch(function () {
          status.textContent = "The search index could not be loaded.";
        });
    };

    input.addEventListener("focus", load, { once: true });
    input.addEventListener("input", run);
    input.form.addEventListener("submit", function (e) {
      e.preventDefault();
      run();
    });

    // Arrow keys move between the field and the results; Escape goes back to the field.
    var links = function () {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    };
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && links().length) {
        e.preventDefault();
        links()[0].focus();
      }
    });
    list.addEventListener("keydown", function (e) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" && i + 1 < all.length) {
        e.preventDefault();
        all[i + 1].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (i > 0 ? all[i - 1] : input).focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        input.focus();
      }
    });

    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      run();
    }
  }

  // ---- Citation previews ---------------------------------------------------------------
  var markers = document.querySelectorAll("a.cite[href^='#']");
  if (!markers.length) return;
  var tip = document.createElement("div");
  tip.className = "cite-preview";
  tip.id = "cite-preview";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  var owner = null;
  var timer = 0;

  var hide = function () {
    clearTimeout(timer);
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
    tip.hidden = true;
  };
  var hideSoon = function () {
    clearTimeout(timer);
    timer = setTimeout(hide, 250);
  };
  var open = function (a) {
    clearTimeout(timer);
    var ref = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    if (!ref) return;
    if (owner !== a) {
      if (owner) owner.removeAttribute("aria-describedby");
      tip.textContent = "";
      var number = document.createElement("p");
      number.className = "meta";
      number.textContent = "Reference " + (a.dataset.ref || a.textContent);
      tip.appendChild(number);
      Array.prototype.forEach.call(ref.children, function (child) {
        var copy = child.cloneNode(true);
        copy.querySelectorAll(".backrefs, [id]").forEach(function (x) {
          if (x.classList.contains("backrefs")) x.remove();
          else x.removeAttribute("id");
        });
        tip.appendChild(copy);
      });
      owner = a;
      a.setAttribute("aria-describedby", tip.id);
    }
    tip.hidden = false;
    var box = a.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.min(
      Math.max(8, box.left + window.scrollX - width / 2),
      window.scrollX + document.documentElement.clientWidth - width - 8
    );
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = box.bottom + window.scrollY + 6 + "px";
  };

  markers.forEach(function (a) {
    a.addEventListener("mouseenter", function () {
      open(a);
    });
    a.addEventListener("focus", function () {
      open(a);
    });
    a.addEventListener("mouseleave", hideSoon);
    a.addEventListener("blur", hideSoon);
  });
  tip.addEventListener("mouseenter", function () {
    clearTimeout(timer);
  });
  tip.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !tip.hidden) hide();
  });
})();
