// dossier default theme: search, the search shortcut, and citation previews.
// Every page works without this script; it only adds to what the HTML already offers.
(function () {
  "use strict";

  // The root of the site in the page's language: its `data-base` path (a translated
  // edition's pages are under `/<language>/`), else this script's own folder, so that a
  // site under a sub-path works.
  var script = document.currentScript;
  var here = script ? script.src : location.href;
  var root = new URL((script && script.dataset.base) || ".", here);

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
  // The index (see src/search.rs) is fetched only once someone searches: a small
  // meta.json, then the shards of terms the query needs and the entries it shows.
  var input = document.getElementById("search-input");
  if (input) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    // The page's messages, in the site's language, with `{name}` to fill in.
    var form = input.closest("form");
    var say = function (name, values) {
      var text = (form && form.dataset[name]) || "";
      Object.keys(values || {}).forEach(function (k) {
        text = text.split("{" + k + "}").join(values[k]);
      });
      return text;
    };
    // Counts in the page's language: its plural forms (CLDR, as the build chose them)
    // and its digits.
    var lang = document.documentElement.lang || "en";
    var number = function (n) {
      return n.toLocaleString(lang);
    };
    var counted = function (n, query) {
      var forms = {};
      try {
        forms = JSON.parse((form && form.dataset.results) || "{}");
      } catch (e) {}
      var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
      var text = (rules && forms[rules.select(n)]) || (n === 1 && forms.one) || forms.other || "";
      return text.split("{n}").join(number(n)).split("{q}").join(query);
    };
    var indexUrl = new URL("search-index/", root);
    var cache = {};
    var fetchJson = function (path) {
      if (!cache[path]) {
        cache[path] = fetch(new URL(path, indexUrl)).then(function (r) {
          if (!r.ok) throw new Error(r.status + " " + path);
          return r.json();
        });
      }
      return cache[path];
    };
    var meta = null;
    var loadMeta = function () {
      if (!meta) {
        meta = fetchJson("meta.json").then(function (m) {
          if (m.version !== 1) throw new Error("unknown index version " + m.version);
          m.shardSet = new Set(m.shards);
          return m;
        });
      }
      return meta;
    };
    // Text as the index holds it (`fold` in src/search.rs): NFKC, lowercase, accents
    // dropped but Cyrillic й and ї kept, Arabic script's variants as one letter, its
    // digits as 0-9, no tatweel. `at[i]` is where in `text` the folded character `i`
    // comes from.
    var letters = { "\u0671": "\u0627", "\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647", "\u06a9": "\u0643", "\u0640": "" };
    var foldLetter = function (ch) {
      var code = ch.charCodeAt(0);
      if (code >= 0x660 && code <= 0x669) return String(code - 0x660);
      if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);
      return ch in letters ? letters[ch] : ch;
    };
    var cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]|[\ud840-\ud87e][\udc00-\udfff]/u;
    var fold = function (text) {
      var s = "";
      var at = [];
      var i = 0;
      var base = "";
      Array.from(text).forEach(function (c) {
        var f = "";
        Array.from(c.normalize("NFKC").toLowerCase().normalize("NFD")).forEach(function (ch) {
          if (/\p{M}/u.test(ch)) {
            if ((base === "\u0438" && ch === "\u0306") || (base === "\u0456" && ch === "\u0308")) f += ch;
            return;
          }
          base = ch;
          f += foldLetter(ch);
        });
        f = f.normalize("NFC");
        for (var k = 0; k < f.length; k++) at.push(i);
        s += f;
        i += c.length;
      });
      at.push(text.length);
      return { s: s, at: at };
    };
    // The terms of a query, as the index makes them: words, and in Chinese, Japanese and
    // Korean runs each pair of neighbouring characters.
    var words = function (text) {
      var out = [];
      (fold(text).s.match(/[\p{L}\p{N}]+/gu) || []).forEach(function (run) {
        var chars = Array.from(run);
        var i = 0;
        while (i < chars.length) {
          var isCjk = cjk.test(chars[i]);
          var end = i;
          while (end < chars.length && cjk.test(chars[end]) === isCjk) end++;
          var part = chars.slice(i, end);
          if (!isCjk || part.length === 1) out.push(part.join(""));
          else for (var k = 0; k + 1 < part.length; k++) out.push(part[k] + part[k + 1]);
          i = end;
        }
      });
      return out;
    };
    var shardKey = function (term, chars) {
      var key = "";
      Array.from(term).slice(0, chars).forEach(function (c) {
        key += /[a-z0-9]/.test(c) ? c : "x" + c.codePointAt(0).toString(16) + "_";
      });
      return key;
    };

    // Entries holding every word of the query, each word as a whole term or the start
    // of one; ranked by words found in titles, then whole words, then dossier order.
    var find = function (m, query) {
      // Single letters match too much to help; they are left out (a single Chinese,
      // Japanese or Korean character is a word).
      var ws = words(query).filter(function (w, i, all) {
        return all.indexOf(w) === i && (Array.from(w).length > 1 || cjk.test(w));
      });
      if (!ws.length) return Promise.resolve(null);
      return Promise.all(
        ws.map(function (w) {
          var key = shardKey(w, m.key_chars);
          return m.shardSet.has(key) ? fetchJson("terms/" + key + ".json") : Promise.resolve({});
        })
      ).then(function (perWord) {
        var scores = null;
        perWord.forEach(function (terms, i) {
          var w = ws[i];
          var hits = new Map();
          Object.keys(terms).forEach(function (term) {
            if (term.indexOf(w) !== 0) return;
            var whole = term === w ? 1 : 0;
            terms[term].forEach(function (code) {
              var doc = code >> 1;
              var score = (code & 1) * 4 + whole;
              hits.set(doc, Math.max(hits.get(doc) || 0, score));
            });
          });
          if (scores === null) {
            scores = hits;
          } else {
            var both = new Map();
            scores.forEach(function (s, doc) {
              if (hits.has(doc)) both.set(doc, s + hits.get(doc));
            });
            scores = both;
          }
        });
        var ranked = Array.from(scores.entries()).sort(function (a, b) {
          return b[1] - a[1] || a[0] - b[0];
        });
        return { words: ws, total: ranked.length, docs: ranked.slice(0, 20).map(function (e) { return e[0]; }) };
      });
    };

    var entry = function (m, doc) {
      var file = Math.floor(doc / m.docs_per_file);
      return fetchJson("docs/" + file + ".json").then(function (docs) {
        return docs[doc % m.docs_per_file];
      });
    };

    // A pattern finding the query's words in folded text: a word at the start of a word
    // (and the rest of it); a Chinese, Japanese or Korean pair anywhere.
    var pattern = function (ws) {
      var parts = ws.map(function (w) {
        var e = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        return cjk.test(w) ? e : "(?<![\\p{L}\\p{N}])" + e + "[\\p{L}\\p{N}]*";
      });
      return new RegExp(parts.join("|"), "gu");
    };

    // Text with the query's words marked, as DOM nodes (no markup is parsed).
    var marked = function (text, ws) {
      var p = document.createElement("p");
      var f = fold(text);
      var re = pattern(ws);
      var at = 0;
      var m;
      while ((m = re.exec(f.s))) {
        var from = f.at[m.index];
        var to = f.at[m.index + m[0].length];
        if (from < at) continue;
        p.appendChild(document.createTextNode(text.slice(at, from)));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(from, to);
        p.appendChild(mark);
        at = to;
      }
      p.appendChild(document.createTextNode(text.slice(at)));
      return p;
    };

    // About 200 characters of text around the first matched word.
    var excerpt = function (text, ws) {
      var f = fold(text);
      var m = pattern(ws).exec(f.s);
      var first = m ? f.at[m.index] : -1;
      var start = Math.max(0, first - 80);
      if (start > 0) start = text.indexOf(" ", start) + 1;
      var end = Math.min(text.length, start + 220);
      if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
      return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    };

    var show = function (query, found, docs) {
      list.textContent = "";
      docs.forEach(function (d) {
        var li = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = d.kind;
        var a = document.createElement("a");
        a.href = new URL(d.url, root).href;
        a.textContent = d.title;
        li.appendChild(kind);
        li.appendChild(a);
        li.appendChild(marked(excerpt(d.text, found.words), found.words));
        list.appendChild(li);
      });
      var n = found.total;
      status.textContent = n
        ? counted(n, query) + (n > docs.length ? say("first", { shown: number(docs.length) }) : "") + say("keys")
        : say("none", { q: query });
    };

    var latest = 0;
    var timer = 0;
    var run = function () {
      var query = input.value.trim();
      var ticket = ++latest;
      if (!query) {
        list.textContent = "";
        status.textContent = "";
        return;
      }
      loadMeta()
        .then(function (m) {
          return find(m, query).then(function (found) {
            if (!found) return null;
            return Promise.all(found.docs.map(function (doc) { return entry(m, doc); })).then(function (docs) {
              return { found: found, docs: docs };
            });
          });
        })
        .then(function (r) {
          if (ticket !== latest) return;
          if (!r) {
            list.textContent = "";
            status.textContent = say("short");
            return;
          }
          show(query, r.found, r.docs);
        })
        .catch(function () {
          if (ticket === latest) status.textContent = say("failed");
        });
    };

    input.addEventListener("focus", function () {
      loadMeta().catch(function () {});
    }, { once: true });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
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
      var label = (ref.closest("ol") && ref.closest("ol").dataset.label) || "Reference {n}";
      number.textContent = label.split("{n}").join(a.dataset.ref || a.textContent);
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
