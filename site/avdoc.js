// avdoc.js, the one script of an avdoc site; every page works without it. It adds the
// theme toggle (kept in localStorage), search (search-index.js), the index's filters
// (?tag=T&kernel=K) and the story player (#step-N, #step-N/KERNEL). It runs in <head>,
// so the chosen theme is set before the page is drawn.
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

  // Search: loads search-index.js on first use; every word must match, titles first.
  function search(box) {
    var input = $('.q', box), list = $('.results', box), loading = false;
    function load(then) {
      if (window.avdocSearch) return then();
      if (loading) return;
      loading = true;
      var s = make('script');
      s.src = root + 'search-index.js';
      s.onload = then;
      doc.head.appendChild(s);
    }
    function snippet(text, word) {
      var i = Math.max(0, text.toLowerCase().indexOf(word)), from = Math.max(0, i - 50);
      var span = make('span');
      span.append((from ? '…' : '') + text.slice(from, i), make('mark', text.substr(i, word.length)),
        text.slice(i + word.length, i + 110) + '…');
      return span;
    }
    function run() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean), hits = [];
      list.textContent = '';
      list.hidden = !words.length;
      if (!words.length) return;
      if (!window.avdocSearch) return load(run);
      window.avdocSearch.forEach(function (e) {
        var t = e[1].toLowerCase(), x = e[2].toLowerCase(), score = 0;
        for (var i = 0; i < words.length; i++) {
          if (t.indexOf(words[i]) >= 0) score += 2;
          else if (x.indexOf(words[i]) >= 0) score += 1;
          else return;
        }
        hits.push([score, e]);
      });
      hits.sort(function (a, b) { return b[0] - a[0]; });
      hits.slice(0, 12).forEach(function (h) {
        var li = make('li'), a = make('a');
        a.href = root + h[1][0];
        a.append(make('strong', h[1][1]), snippet(h[1][2], words[0]));
        li.append(a);
        list.append(li);
      });
      if (!hits.length) list.append(make('li', 'Nothing found.'));
    }
    input.addEventListener('input', run);
    input.addEventListener('focus', function () { load(function () {}); if (input.value) run(); });
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
    var play = $('[data-go=play]', nav), all = $('[data-go=all]', nav);
    var cur = 1, kernel = '', timer = null, ready = false;
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
      if (!on) { stop(); steps[cur - 1].scrollIntoView(); }
    }

    prev.addEventListener('click', function () { go(-1); });
    next.addEventListener('click', function () { go(1); });
    play.addEventListener('click', toggle);
    all.addEventListener('click', function () { oneAtATime(!main.classList.contains('one')); });
    picks.forEach(function (b) { b.addEventListener('click', function () { show(cur, b.dataset.kernel, false); }); });
    doc.addEventListener('keydown', function (e) {
      if (typing(e) || !main.classList.contains('one')) return;
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

  doc.addEventListener('DOMContentLoaded', function () {
    $$('.theme').forEach(theme);
    $$('.search').forEach(search);
    $$('.filters').forEach(filters);
    $$('.player').forEach(player);
  });
})();
