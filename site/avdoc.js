// avdoc.js, the one script of an avdoc site; every page works without it. It adds the
// theme toggle (kept in localStorage), search (search-index.js), the index's filters
// (?tag=T&kernel=K), the story player (#step-N, #step-N/KERNEL) with its predict mode,
// and a viewer to zoom a diagram. It runs in <head>, so the chosen theme is set before
// the page is drawn.
(function () {
  'use strict';
  var doc = document, html = doc.documentElement, KEY = 'avdoc-theme';
  var root = html.getAttribute('data-root') || '';

  function stored() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function store(v) { try { localStorage.setItem(KEY, v); } catch (e) { /* no storage */ } }
  function $(sel, el) { return (el || doc).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  function make(tag, text) { var e = doc.createElement(tag); e.textContent = text || ''; return e; }
  function setURL(url) { try { history.replaceState(null, '', url); } catch (e) { /* refused */ } }
  function typing(e) {
    var t = e.target;
    return e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable;
  }

  html.classList.add('js');
  if (stored() === 'light' || stored() === 'dark') html.setAttribute('data-theme', stored());

  // Theme: the button switches to the theme not showing, and remembers it.
  function theme(btn) {
    var dark = window.matchMedia && matchMedia('(prefers-color-scheme: dark)');
    function current() { return html.getAttribute('data-theme') || (dark && dark.matches ? 'dark' : 'light'); }
    function label() {
      var d = current() === 'dark';
      btn.textContent = d ? '\u2600 Light' : '\u263E Dark';
      btn.title = 'Switch to the ' + (d ? 'light' : 'dark') + ' theme';
    }
    btn.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      html.setAttribute('data-theme', next);
      store(next);
      label();
    });
    if (dark && dark.addEventListener) dark.addEventListener('change', label);
    label();
    btn.hidden = false;
  }

  // Search: loads search-index.js on first use; every word must match, titles count
  // double. Results are grouped by page (a story and its steps), best page first, each
  // word marked wherever it shows, in the title and in the quoted context.
  function search(box) {
    var input = $('.q', box), list = $('.results', box), loading = false, PER = 3, PAGES = 8;
    // load fetches the index once; when it comes, the results are those of what
    // has been typed by then.
    function load() {
      if (window.avdocSearch || loading) return;
      loading = true;
      var s = make('script');
      s.src = root + 'search-index.js';
      s.onload = run;
      doc.head.appendChild(s);
    }
    function pattern(words) {
      return new RegExp('(' + words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }).join('|') + ')', 'gi');
    }
    // marked is text as nodes, each match of re in a <mark>.
    function marked(el, text, re) {
      text.split(re).forEach(function (part, i) { el.append(i % 2 ? make('mark', part) : part); });
      return el;
    }
    // context is about 160 characters of text around its first match of re.
    function context(text, re) {
      re.lastIndex = 0;
      var m = re.exec(text), at = m ? m.index : 0, from = Math.max(0, at - 50), to = Math.min(text.length, from + 160);
      return (from ? '\u2026' : '') + text.slice(from, to) + (to < text.length ? '\u2026' : '');
    }
    function score(e, words) {
      var t = e[1].toLowerCase(), x = e[2].toLowerCase(), n = 0;
      for (var i = 0; i < words.length; i++) {
        if (t.indexOf(words[i]) >= 0) n += 2;
        else if (x.indexOf(words[i]) >= 0) n += 1;
        else return 0;
      }
      return n;
    }
    // groups gathers the hits by page, in the order of each page's best hit.
    function groups(words) {
      var byPage = {}, out = [];
      window.avdocSearch.forEach(function (e, i) {
        var n = score(e, words), page = e[0].split('#')[0];
        if (!n) return;
        if (!byPage[page]) { byPage[page] = { page: page, best: 0, first: i, hits: [] }; out.push(byPage[page]); }
        var g = byPage[page];
        g.hits.push({ e: e, n: n, i: i });
        g.best = Math.max(g.best, n);
      });
      out.forEach(function (g) { g.hits.sort(function (a, b) { return b.n - a.n || a.i - b.i; }); });
      return out.sort(function (a, b) { return b.best - a.best || a.first - b.first; });
    }
    function pageTitle(page) {
      var e = window.avdocSearch.filter(function (x) { return x[0] === page; })[0];
      return e ? e[1] : page;
    }
    function hit(e, re, head) {
      var li = make('li'), a = make('a');
      a.href = root + e[0];
      var t = e[1].indexOf(head + ', ') === 0 ? e[1].slice(head.length + 2) : e[1];
      a.append(marked(make('strong'), t, re), marked(make('span'), context(e[2], re), re));
      li.append(a);
      return li;
    }
    function run() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = '';
      list.hidden = !words.length;
      if (!words.length) return;
      if (!window.avdocSearch) return load();
      var re = pattern(words), found = groups(words);
      found.slice(0, PAGES).forEach(function (g) {
        var li = make('li'), head = pageTitle(g.page), ol = make('ol');
        li.className = 'group';
        li.append(marked(make('p'), head, re));
        g.hits.slice(0, PER).forEach(function (h) { ol.append(hit(h.e, re, head)); });
        if (g.hits.length > PER) {
          var more = make('li'), a = make('a', (g.hits.length - PER) + ' more in this ' + (g.page.indexOf('/') >= 0 ? 'story' : 'page'));
          a.href = root + g.page;
          a.className = 'more';
          more.append(a);
          ol.append(more);
        }
        li.append(ol);
        list.append(li);
      });
      if (found.length > PAGES) list.append(make('li', (found.length - PAGES) + ' more pages match: add a word.'));
      if (!found.length) list.append(make('li', 'Nothing found.'));
    }
    input.addEventListener('input', run);
    input.addEventListener('focus', function () { load(); if (input.value) run(); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') { input.value = ''; run(); input.blur(); }
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === '/' && !typing(e)) { e.preventDefault(); input.focus(); }
    });
    doc.addEventListener('click', function (e) { if (!box.contains(e.target)) list.hidden = true; });
    box.hidden = false;
  }

  // Index filters: a story shows when it has the tag and runs the kernel chosen.
  function filters(box) {
    var tag = $('.f-tag', box), kernel = $('.f-kernel', box), count = $('.count', box);
    var cards = $$('.card'), q = new URLSearchParams(location.search);
    function pick(sel, v) {
      if (v && $$('option', sel).some(function (o) { return o.value === v; })) sel.value = v;
    }
    function has(list, v) { return !v || JSON.parse(list).indexOf(v) >= 0; }
    function apply() {
      var shown = 0, p = new URLSearchParams();
      cards.forEach(function (c) {
        c.hidden = !(has(c.dataset.tags, tag.value) && has(c.dataset.kernels, kernel.value));
        if (!c.hidden) shown++;
      });
      count.textContent = shown === cards.length ? cards.length + ' stories' : shown + ' of ' + cards.length + ' stories';
      if (tag.value) p.set('tag', tag.value);
      if (kernel.value) p.set('kernel', kernel.value);
      setURL(location.pathname + (String(p) ? '?' + p : '') + location.hash);
    }
    pick(tag, q.get('tag'));
    pick(kernel, q.get('kernel'));
    tag.addEventListener('change', apply);
    kernel.addEventListener('change', apply);
    apply();
    box.hidden = false;
  }

  // Player: one step at a time. The address says which step and, after a slash, which
  // kernel alone (#step-5/2.6.34); without a kernel the frames stand side by side.
  function player(nav) {
    var main = $('main'), steps = $$('main > .step'), n = steps.length;
    var links = $$('.steplist a', nav), picks = $$('.kernel-pick button', nav);
    var prev = $('[data-go=prev]', nav), next = $('[data-go=next]', nav);
    var play = $('[data-go=play]', nav), all = $('[data-go=all]', nav), guess = $('[data-go=predict]', nav);
    var cur = 1, kernel = '', timer = null, ready = false, predicting = false;
    if (!n) return;

    function parse(hash) {
      var m = /^#step-(\d+)(?:\/(.+))?$/.exec(hash);
      if (!m) return null;
      var k = m[2] ? decodeURIComponent(m[2]) : null;
      return { n: +m[1], kernel: k !== null && picks.some(function (b) { return b.dataset.kernel === k; }) ? k : null };
    }
    function show(i, k, scroll) {
      cur = Math.min(Math.max(i, 1), n);
      if (k !== null && k !== undefined) kernel = k;
      steps.forEach(function (s, j) { s.classList.toggle('on', j === cur - 1); });
      links.forEach(function (a, j) {
        if (j === cur - 1) a.setAttribute('aria-current', 'step'); else a.removeAttribute('aria-current');
      });
      $$('.frame[data-kernel]').forEach(function (f) { f.hidden = !!kernel && f.dataset.kernel !== kernel; });
      $$('.frames.multi').forEach(function (f) { f.classList.toggle('single', !!kernel); });
      picks.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.kernel === kernel)); });
      main.classList.toggle('first', cur === 1);
      main.classList.toggle('last', cur === n);
      prev.disabled = cur === 1;
      next.disabled = cur === n;
      if (predicting) hide(cur);
      if (ready) setURL('#step-' + cur + (kernel ? '/' + encodeURIComponent(kernel) : ''));
      if (scroll && main.classList.contains('one') && steps[cur - 1].getBoundingClientRect().top < 0) {
        steps[cur - 1].scrollIntoView();
      }
    }
    function go(d) { show(cur + d, null, true); }
    function playing(on) {
      play.textContent = on ? 'Pause' : 'Play';
      play.setAttribute('aria-pressed', String(on));
    }
    function stop() { clearInterval(timer); timer = null; playing(false); }
    function toggle() {
      if (timer) return stop();
      if (cur === n) show(1, null, true);
      timer = setInterval(function () { if (cur < n) go(1); else stop(); }, 3000);
      playing(true);
    }
    function oneAtATime(on) {
      main.classList.toggle('one', on);
      all.setAttribute('aria-pressed', String(!on));
      all.textContent = on ? 'All steps' : 'One step at a time';
      $('.controls', nav).hidden = !on;
      if (!on) { stop(); if (predicting) predict(false); steps[cur - 1].scrollIntoView(); }
    }

    // Predict: the step's events show, its outcome waits until the reader asks; the
    // diagrams show the state before the step, so a class can guess what it builds.
    function hide(i) {
      steps.forEach(function (s, j) { if (j !== i - 1) reveal(s); });
      var s = steps[i - 1];
      if (s.classList.contains('guess') || s.dataset.revealed) return;
      s.classList.add('guess');
      $$('.frame', s).forEach(function (f) {
        var img = $('img', f), before = i > 1 && $('.frame[data-kernel="' + f.dataset.kernel + '"] img', steps[i - 2]);
        if (!img) return;
        img.dataset.src = img.getAttribute('src');
        if (before) img.setAttribute('src', before.getAttribute('src'));
        else img.hidden = true;
        var note = make('p', i > 1 ? 'Before step ' + i + ': what will it change?' : 'Nothing yet: what will step 1 build?');
        note.className = 'before';
        f.insertBefore(note, img.parentNode);
      });
      var btn = make('button', 'Show what happened');
      btn.type = 'button';
      btn.className = 'reveal';
      btn.addEventListener('click', function () { s.dataset.revealed = '1'; reveal(s); btn.blur(); });
      $('h2', s).after(btn);
    }
    function reveal(s) {
      if (!s.classList.contains('guess')) return;
      s.classList.remove('guess');
      $$('.before, .reveal', s).forEach(function (e) { e.remove(); });
      $$('img[data-src]', s).forEach(function (img) {
        img.setAttribute('src', img.dataset.src);
        img.removeAttribute('data-src');
        img.hidden = false;
      });
    }
    function predict(on) {
      predicting = on;
      html.classList.toggle('predict', on);
      guess.setAttribute('aria-pressed', String(on));
      steps.forEach(function (s) { delete s.dataset.revealed; reveal(s); });
      if (on) { stop(); oneAtATime(true); hide(cur); }
    }

    prev.addEventListener('click', function () { go(-1); });
    guess.addEventListener('click', function () { predict(!predicting); });
    next.addEventListener('click', function () { go(1); });
    play.addEventListener('click', toggle);
    all.addEventListener('click', function () { oneAtATime(!main.classList.contains('one')); });
    picks.forEach(function (b) { b.addEventListener('click', function () { show(cur, b.dataset.kernel, false); }); });
    doc.addEventListener('keydown', function (e) {
      if (typing(e) || !main.classList.contains('one')) return;
      if (predicting && (e.key === ' ' || e.key === 'Enter') && steps[cur - 1].classList.contains('guess')) {
        $('.reveal', steps[cur - 1]).click();
        e.preventDefault();
      }
      if (e.key === 'ArrowLeft') { go(-1); e.preventDefault(); }
      if (e.key === 'ArrowRight') { go(1); e.preventDefault(); }
    });
    window.addEventListener('hashchange', function () {
      var h = parse(location.hash);
      if (h) show(h.n, h.kernel, false);
      else if (location.hash === '#end') show(n, null, false);
    });

    function bar() { html.style.setProperty('--bar', nav.offsetHeight + 'px'); }
    window.addEventListener('resize', bar);
    var start = parse(location.hash) || { n: location.hash === '#end' ? n : 1, kernel: null };
    $('.controls', nav).hidden = false;
    $$('.kernel-pick', nav).forEach(function (p) { p.hidden = false; });
    all.hidden = false;
    oneAtATime(true);
    bar();
    show(start.n, start.kernel, false);
    ready = true;
    if (location.hash && start.n > 1) steps[cur - 1].scrollIntoView();
  }

  // Viewer: a diagram opens over the page at its own size, to pan and zoom.
  function viewer(link) {
    link.addEventListener('click', function (e) {
      if (e.button || e.ctrlKey || e.metaKey || e.shiftKey || !window.HTMLDialogElement) return;
      e.preventDefault();
      var d = make('dialog'), bar = make('div'), pane = make('div'), img = make('img'), zoom = 1;
      d.className = 'viewer';
      d.setAttribute('aria-label', 'Diagram');
      bar.className = 'viewer-bar';
      pane.className = 'viewer-pane';
      img.src = link.getAttribute('href');
      img.alt = $('img', link) ? $('img', link).alt : '';
      function set(z) {
        zoom = Math.min(Math.max(z, 0.25), 6);
        img.style.width = img.naturalWidth ? Math.round(img.naturalWidth * zoom) + 'px' : '';
        label.textContent = Math.round(zoom * 100) + '%';
      }
      function fit() { set(Math.min(1, (pane.clientWidth - 16) / (img.naturalWidth || 1))); }
      function button(text, title, act) {
        var b = make('button', text);
        b.type = 'button';
        b.title = title;
        b.addEventListener('click', act);
        bar.append(b);
        return b;
      }
      button('\u2212', 'Zoom out (-)', function () { set(zoom / 1.25); });
      var label = button('100%', 'Actual size (0)', function () { set(1); });
      button('+', 'Zoom in (+)', function () { set(zoom * 1.25); });
      button('Fit', 'Fit the width', fit);
      var close = button('\u2715 Close', 'Close (Esc)', function () { d.close(); });
      close.className = 'close';
      d.addEventListener('keydown', function (k) {
        if (k.key === '+' || k.key === '=') set(zoom * 1.25);
        if (k.key === '-') set(zoom / 1.25);
        if (k.key === '0') set(1);
      });
      d.addEventListener('close', function () { d.remove(); });
      img.addEventListener('load', fit);
      pane.append(img);
      d.append(bar, pane);
      doc.body.append(d);
      d.showModal();
      close.focus();
    });
  }

  doc.addEventListener('DOMContentLoaded', function () {
    $$('.theme').forEach(theme);
    $$('.search').forEach(search);
    $$('.filters').forEach(filters);
    $$('.player').forEach(player);
    $$('a.diagram').forEach(viewer);
  });
})();
