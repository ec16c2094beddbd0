/**
 * The report's own browser script, as text: draws each chart from its JSON
 * spec, marks it drawn (the browser test waits for that), and makes the
 * results table sortable and filterable. No framework, no network.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var charts = document.querySelectorAll('[data-chart]');
  // A legend label cut short (ending in an ellipsis) or shortened shows its full configuration on hover.
  function fullLabelsOnHover(el, full) {
    el.querySelectorAll('.role-legend-label text').forEach(function (t) {
      var text = t.textContent, key = null;
      if (full[text]) key = text;
      else if (/\u2026$/.test(text)) {
        var stem = text.slice(0, -1);
        Object.keys(full).forEach(function (k) { if (k.indexOf(stem) === 0) key = k; });
      }
      if (key === null) return;
      var title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = full[key];
      t.appendChild(title);
      // Vega draws legend labels deaf to the pointer; the title needs it to show.
      t.style.pointerEvents = 'auto';
      t.parentNode.style.pointerEvents = 'auto';
    });
  }
  var pending = charts.length;
  function settled() { if (--pending === 0) document.body.setAttribute('data-charts-done', 'true'); }
  if (pending === 0) document.body.setAttribute('data-charts-done', 'true');
  // The drawn views, by chart id: the browser test reads each colour scale from here.
  window.infermarkViews = {};
  charts.forEach(function (el) {
    var spec = JSON.parse(document.getElementById('spec-' + el.id).textContent);
    vegaEmbed(el, spec, { actions: false, renderer: 'svg' }).then(function (result) {
      window.infermarkViews[el.id] = result.view;
      fullLabelsOnHover(el, (spec.usermeta || {}).fullLabels || {});
      el.setAttribute('data-rendered', 'true');
      settled();
    }, function (err) {
      el.setAttribute('data-rendered', 'error');
      el.textContent = 'This chart could not be drawn: ' + err;
      console.error('chart ' + el.id + ': ' + err);
      settled();
    });
  });

  var table = document.getElementById('results-table');
  if (!table) return;
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, col) {
    th.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        var nx = x === null || x === '' ? NaN : Number(x), ny = y === null || y === '' ? NaN : Number(y);
        if (!isNaN(nx) && !isNaN(ny)) return (nx - ny) * dir;
        if (isNaN(nx) !== isNaN(ny)) return isNaN(nx) ? 1 : -1; // blanks last
        return a.cells[col].textContent.localeCompare(b.cells[col].textContent) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  document.querySelectorAll('[data-toggle-col]').forEach(function (box) {
    box.addEventListener('change', function () {
      table.querySelectorAll('[data-col="' + box.getAttribute('data-toggle-col') + '"]').forEach(function (c) { c.hidden = !box.checked; });
    });
  });
  var filter = document.getElementById('results-filter');
  var count = document.getElementById('results-count');
  filter.addEventListener('input', function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var text = r.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + body.rows.length + ' trials';
  });
})();
`;
