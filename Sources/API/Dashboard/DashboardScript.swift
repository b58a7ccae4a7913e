extension DashboardAssets {
    /// The dashboard's script: plain JavaScript in one strict-mode function, no framework. A hash
    /// router (`#/signin`, `#/runs`, `#/runs/{id}`, `#/upload`, `#/importers`) renders each page
    /// with DOM calls only (never `innerHTML`, so API text is never parsed as markup). It calls the
    /// API with the session cookie and sends `X-CSRF-Token` on every state-changing request. Live
    /// updates use the server's event streams when its OpenAPI document lists them, else poll
    /// every 2 s.
    static let script = #"""
        'use strict';
        (function () {
          const API = document.querySelector('meta[name="ingest-api"]').content;
          const main = document.getElementById('main');
          const FINISHED = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
          const STATUSES = ['pending', 'processing'].concat(FINISHED);
          const state = { session: null, features: null, cleanup: [] };

          // ---- DOM helpers -------------------------------------------------------
          function h(tag, attrs) {
            const el = document.createElement(tag);
            for (const [key, value] of Object.entries(attrs || {})) {
              if (value === null || value === undefined || value === false) continue;
              if (key === 'text') el.textContent = String(value);
              else if (key === 'class') el.className = value;
              else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
              else el.setAttribute(key, value === true ? '' : String(value));
            }
            for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
            return el;
          }
          function append(el, child) {
            if (child === null || child === undefined || child === false) return;
            if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
            el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          function svg(tag, attrs) {
            const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
            for (const [key, value] of Object.entries(attrs || {})) {
              if (key === 'text') el.textContent = String(value); else el.setAttribute(key, String(value));
            }
            return el;
          }
          function show(title) {
            main.replaceChildren();
            append(main, Array.prototype.slice.call(arguments, 1));
            document.title = title + ' · Ingest';
          }
          function toast(message, bad) {
            const box = document.getElementById('toast');
            const p = h('p', { class: bad ? 'bad' : '', text: message });
            box.appendChild(p);
            setTimeout(function () { p.remove(); }, 5000);
          }
          function fmtNumber(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en'); }
          function fmtTime(t) { return t ? t.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '–'; }
          function fmtEta(s) {
            if (s === null || s === undefined) return '';
            s = Math.round(s);
            return s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s';
          }

          // ---- API -----------------------------------------------------------------
          class ApiError extends Error {
            constructor(status, message, body) { super(message); this.status = status; this.body = body; }
          }
          async function api(method, path, options) {
            options = options || {};
            const headers = { Accept: 'application/json' };
            if (method !== 'GET' && state.session && state.session.csrf_token) headers['X-CSRF-Token'] = state.session.csrf_token;
            let body;
            if (options.form) body = options.form;
            else if (options.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(options.json); }
            const response = await fetch(API + path, { method: method, headers: headers, body: body, credentials: 'same-origin' });
            let parsed = null;
            try { parsed = await response.json(); } catch (e) { parsed = null; }
            if (response.status === 401 && path !== '/session') { signedOut(); throw new ApiError(401, 'Your session has ended; sign in again.'); }
            if (!response.ok) throw new ApiError(response.status, (parsed && parsed.message) || response.statusText, parsed);
            return parsed;
          }
          function query(params) {
            const parts = Object.entries(params).filter(function (p) { return p[1] !== '' && p[1] !== undefined && p[1] !== null; })
              .map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); });
            return parts.length ? '?' + parts.join('&') : '';
          }
          // Whether the server has the SSE endpoints (read from its OpenAPI document, which needs no token).
          async function features() {
            if (state.features) return state.features;
            state.features = { runEvents: false, listEvents: false };
            try {
              const response = await fetch(API + '/openapi.json', { credentials: 'same-origin' });
              const doc = await response.json();
              const paths = doc.paths || {};
              state.features = { runEvents: '/{ingestRun}/events' in paths, listEvents: '/events' in paths };
            } catch (e) { /* polling only */ }
            return state.features;
          }
          // Live updates: an EventSource when the server has one (the cookie authenticates it), else
          // polling every 2 s. Returns a function that stops both.
          function live(ssePath, events, poll, onData) {
            let timer = null;
            let source = null;
            let stopped = false;
            function startPolling() {
              if (timer || stopped) return;
              const tick = async function () {
                try { await poll(); } catch (e) { if (e.status === 401) return; }
                if (!stopped) timer = setTimeout(tick, 2000);
              };
              timer = setTimeout(tick, 2000);
            }
            if (ssePath && typeof EventSource === 'function') {
              source = new EventSource(API + ssePath, { withCredentials: true });
              events.forEach(function (name) {
                source.addEventListener(name, function (event) {
                  try { onData(JSON.parse(event.data), name); } catch (e) { /* ignore a malformed event */ }
                });
              });
              source.onerror = function () {
                if (source.readyState === EventSource.CLOSED) { source = null; startPolling(); }
              };
            } else {
              startPolling();
            }
            const stop = function () { stopped = true; if (source) source.close(); if (timer) clearTimeout(timer); };
            state.cleanup.push(stop);
            return stop;
          }

          // ---- Session -------------------------------------------------------------
          function signedIn(session) {
            state.session = session;
            sessionStorage.setItem('ingest.signedIn', '1');
            document.getElementById('nav').hidden = false;
            document.getElementById('who').textContent = session.token_name + ' (' + session.scopes.join(', ') + ')';
          }
          function signedOut() {
            state.session = null;
            sessionStorage.removeItem('ingest.signedIn');
            document.getElementById('nav').hidden = true;
            if (location.hash !== '#/signin') location.hash = '#/signin';
          }
          function can(scope) { return !!state.session && state.session.scopes.indexOf(scope) >= 0; }

          function signInPage() {
            const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true,
              placeholder: 'ingest_…', 'aria-describedby': 'token-help' });
            const error = h('p', { class: 'error', id: 'signin-error', role: 'alert' });
            const form = h('form', { class: 'panel', onsubmit: async function (event) {
              event.preventDefault();
              error.textContent = '';
              try {
                const result = await api('POST', '/session', { json: { token: input.value.trim() } });
                input.value = '';
                signedIn(result.data);
                location.hash = '#/runs';
              } catch (e) {
                error.textContent = e.status === 401 ? 'This token is unknown or revoked.' : e.message;
              }
            } },
              h('div', { class: 'field' }, h('label', { for: 'token', text: 'API token' }), input,
                h('p', { id: 'token-help', class: 'muted', text: 'Create one with: ingest token create --name NAME --scope read,run' })),
              h('button', { type: 'submit', id: 'signin', text: 'Sign in' }), error);
            show('Sign in', h('h1', { text: 'Sign in' }), form);
            input.focus();
          }

          // ---- Runs ----------------------------------------------------------------
          function badge(status) { return h('span', { class: 'badge ' + status, text: status.replace(/_/g, ' ') }); }
          function progressCell(run) { return h('td', {}, progressBlock(run)); }
          function progressBlock(run) {
            const p = run.progress || {};
            const total = p.total || 0;
            const fraction = FINISHED.indexOf(run.status) >= 0 ? 1 : (p.bytes_total ? (p.bytes_read || 0) / p.bytes_total : (total ? p.processed / total : 0));
            const fill = h('span');
            fill.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(1) + '%';
            const bar = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
              'aria-valuenow': Math.round(fraction * 100), 'aria-label': 'Progress of run ' + run.id }, fill);
            const parts = [fmtNumber(p.processed) + ' / ' + fmtNumber(total) + ' rows'];
            if (run.status === 'processing') {
              if (run.rows_per_second !== undefined && run.rows_per_second !== null) parts.push(fmtNumber(Math.round(run.rows_per_second)) + ' rows/s');
              if (run.eta_seconds !== undefined && run.eta_seconds !== null) parts.push('ETA ' + fmtEta(run.eta_seconds));
            }
            return h('div', { class: 'progress' }, bar, h('span', { class: 'rate', text: parts.join(' · ') }));
          }
          function actionButtons(run, after) {
            const buttons = [];
            const add = function (label, path, confirmText) {
              buttons.push(h('button', { type: 'button', class: 'secondary', 'data-action': label.toLowerCase(),
                'aria-label': label + ' run ' + run.id, text: label, onclick: async function (event) {
                  event.target.disabled = true;
                  try {
                    const result = await api('POST', '/' + run.id + path, { json: {} });
                    toast(label + ': ' + ((result && result.message) || ('run ' + result.data.id + ' created')));
                    if (result && result.data && result.data.id && result.data.id !== run.id) location.hash = '#/runs/' + result.data.id;
                    else if (after) after();
                  } catch (e) { toast(label + ' failed: ' + e.message, true); event.target.disabled = false; }
                } }));
            };
            if (!can('run')) return buttons;
            if (run.status === 'pending' || run.status === 'processing') add('Cancel', '/cancel');
            if (FINISHED.indexOf(run.status) >= 0 && (run.progress || {}).failed > 0 && !run.dry_run) add('Retry', '/retry');
            if (run.resumable) add('Resume', '/resume');
            if (run.dry_run && (run.status === 'completed' || run.status === 'completed_with_errors')) add('Apply', '/apply');
            return buttons;
          }
          function runRow(run, refresh) {
            const p = run.progress || {};
            return h('tr', { 'data-run': run.id, 'data-status': run.status },
              h('td', {}, h('a', { href: '#/runs/' + run.id, text: '#' + run.id })),
              h('td', { text: run.importer }),
              h('td', {}, badge(run.status), run.dry_run ? h('span', { class: 'rate', text: ' dry run' }) : null),
              progressCell(run),
              h('td', { class: 'num hide-narrow', text: fmtNumber(p.created) + ' / ' + fmtNumber(p.updated) + ' / ' + fmtNumber(p.failed) + ' / ' + fmtNumber(p.skipped) }),
              h('td', { class: 'hide-narrow', text: fmtTime(run.started_at || run.created_at) }),
              h('td', {}, h('div', { class: 'actions' }, actionButtons(run, refresh))));
          }
          async function runsPage(params) {
            const importers = await api('GET', '/importers');
            const filters = { importer: params.get('importer') || '', status: params.get('status') || '' };
            const importerSelect = h('select', { id: 'filter-importer' }, h('option', { value: '', text: 'All importers' }),
              importers.data.map(function (i) { return h('option', { value: i.slug, text: i.slug, selected: i.slug === filters.importer }); }));
            const statusSelect = h('select', { id: 'filter-status' }, h('option', { value: '', text: 'All statuses' }),
              STATUSES.map(function (s) { return h('option', { value: s, text: s.replace(/_/g, ' '), selected: s === filters.status }); }));
            const applyFilters = function () {
              location.hash = '#/runs' + query({ importer: importerSelect.value, status: statusSelect.value });
            };
            importerSelect.addEventListener('change', applyFilters);
            statusSelect.addEventListener('change', applyFilters);
            const body = h('tbody', { id: 'runs-body' });
            const table = h('div', { class: 'table-wrap' }, h('table', { id: 'runs' },
              h('caption', { class: 'muted', text: 'Newest first; updates live.' }),
              h('thead', {}, h('tr', {}, ['Run', 'Importer', 'Status', 'Progress', 'Created / updated / failed / skipped', 'Started', 'Actions']
                .map(function (t, i) { return h('th', { scope: 'col', class: i === 4 || i === 5 ? 'hide-narrow' : '', text: t }); }))), body));
            const rows = new Map();
            const render = function (runs) {
              rows.clear();
              body.replaceChildren();
              if (!runs.length) body.appendChild(h('tr', {}, h('td', { colspan: 7, class: 'muted', text: 'No runs yet. Upload a file to start one.' })));
              runs.forEach(function (run) { const tr = runRow(run, load); rows.set(run.id, tr); body.appendChild(tr); });
            };
            const load = async function () {
              const page = await api('GET', '/' + query({ importer: filters.importer, status: filters.status, per_page: 50 }));
              render(page.data);
            };
            const upsert = function (run) {
              if ((filters.importer && run.importer !== filters.importer) || (filters.status && run.status !== filters.status)) {
                const old = rows.get(run.id);
                if (old) { old.remove(); rows.delete(run.id); }
                return;
              }
              const tr = runRow(run, load);
              const old = rows.get(run.id);
              if (old) old.replaceWith(tr); else { if (!rows.size) body.replaceChildren(); body.insertBefore(tr, body.firstChild); }
              rows.set(run.id, tr);
            };
            show('Runs', h('h1', { text: 'Runs' }),
              h('div', { class: 'panel inline', role: 'search' },
                h('div', {}, h('label', { for: 'filter-importer', text: 'Importer' }), importerSelect),
                h('div', {}, h('label', { for: 'filter-status', text: 'Status' }), statusSelect)),
              table);
            await load();
            const f = await features();
            live(f.listEvents ? '/events' + query(filters) : null, ['run'], load, upsert);
          }

          // ---- Upload --------------------------------------------------------------
          async function uploadPage(params) {
            const importers = (await api('GET', '/importers')).data;
            const select = h('select', { id: 'upload-importer', required: true },
              importers.map(function (i) { return h('option', { value: i.slug, text: (i.name || i.slug) + ' (' + i.slug + ')', disabled: !i.valid && !i.serving_previous_version }); }));
            if (params.get('importer')) select.value = params.get('importer');
            const details = h('div', { id: 'importer-details', class: 'panel' });
            const fileInput = h('input', { type: 'file', id: 'upload-file', name: 'file' });
            const fileName = h('p', { id: 'file-name', class: 'muted', text: 'No file chosen.' });
            const dryRun = h('input', { type: 'checkbox', id: 'dry-run' });
            const error = h('p', { class: 'error', role: 'alert' });
            const submit = h('button', { type: 'submit', id: 'upload-submit', text: 'Upload and run' });
            let chosen = null;
            const choose = function (file) { chosen = file; fileName.textContent = file ? file.name + ' (' + fmtNumber(file.size) + ' bytes)' : 'No file chosen.'; };
            fileInput.addEventListener('change', function () { choose(fileInput.files[0] || null); });
            const drop = h('div', { class: 'drop', id: 'drop', tabindex: 0, role: 'button', 'aria-label': 'Drop a file here, or press Enter to choose one' },
              h('p', { text: 'Drop a file here, or click to choose one.' }), fileName);
            drop.addEventListener('click', function () { fileInput.click(); });
            drop.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); fileInput.click(); } });
            drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
            drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
            drop.addEventListener('drop', function (e) {
              e.preventDefault(); drop.classList.remove('over');
              if (e.dataTransfer && e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
            });
            const describe = async function () {
              details.replaceChildren(h('p', { class: 'muted', text: 'Loading…' }));
              try {
                const importer = (await api('GET', '/importers/' + encodeURIComponent(select.value))).data;
                details.replaceChildren(
                  h('p', {}, h('strong', { text: importer.name || importer.slug }), ' — ', importer.description || ''),
                  h('p', {}, 'Formats: ', h('span', { id: 'formats', text: importer.formats.join(', ') }), ' · target table ', h('code', { text: importer.target_table || '–' })),
                  h('p', {}, 'Columns: ', h('span', { id: 'columns', text: (importer.columns || []).map(function (c) {
                    return c.from ? c.from[0] + ' → ' + c.name : c.name;
                  }).join(', ') })));
              } catch (e) { details.replaceChildren(h('p', { class: 'error', text: e.message })); }
            };
            select.addEventListener('change', describe);
            const form = h('form', { onsubmit: async function (event) {
              event.preventDefault();
              error.textContent = '';
              if (!chosen) { error.textContent = 'Choose a file first.'; return; }
              const data = new FormData();
              if (dryRun.checked) data.append('dry_run', '1');
              data.append('file', chosen, chosen.name);
              submit.disabled = true;
              try {
                const result = await api('POST', '/upload/' + encodeURIComponent(select.value), { form: data });
                location.hash = '#/runs/' + result.data.id;
              } catch (e) {
                const fields = e.body && e.body.errors ? Object.values(e.body.errors).flat().join(' ') : '';
                error.textContent = e.message + (fields && fields !== e.message ? ' ' + fields : '');
                submit.disabled = false;
              }
            } },
              h('div', { class: 'field' }, h('label', { for: 'upload-importer', text: 'Importer' }), select),
              details,
              h('div', { class: 'field' }, h('label', { for: 'upload-file', text: 'File' }), fileInput),
              drop,
              h('p', {}, h('label', { class: 'check', for: 'dry-run' }, dryRun, 'Dry run: validate and roll back, write nothing')),
              submit, error);
            show('Upload', h('h1', { text: 'Upload a file' }), form);
            if (!can('run')) { submit.disabled = true; error.textContent = 'This token lacks the run scope: it cannot upload.'; }
            if (importers.length) await describe();
          }

          // ---- One run -------------------------------------------------------------
          function counters(run) {
            const p = run.progress || {};
            const items = [['processed', p.processed], ['total', p.total], ['created', p.created], ['updated', p.updated],
              ['skipped', p.skipped], ['failed', p.failed]];
            return h('div', { class: 'counters', id: 'counters' }, items.map(function (item) {
              return h('div', { class: 'counter', 'data-counter': item[0] }, h('b', { text: fmtNumber(item[1]) }), h('span', { text: item[0] }));
            }));
          }
          function errorChart(summary) {
            const entries = (summary.validation_summary.length ? summary.validation_summary : summary.error_summary).slice(0, 8);
            if (!entries.length) return h('p', { class: 'muted', text: 'No errors.' });
            const max = Math.max.apply(null, entries.map(function (e) { return e.count; }));
            const rowHeight = 26;
            const height = entries.length * rowHeight;
            const chart = svg('svg', { class: 'chart', id: 'error-chart', role: 'img', width: 760, height: height, viewBox: '0 0 760 ' + height,
              'aria-labelledby': 'errors-title' });
            entries.forEach(function (entry, i) {
              const y = i * rowHeight;
              const width = Math.max(2, Math.round(160 * entry.count / max));
              const label = entry.message.length > 90 ? entry.message.slice(0, 89) + '…' : entry.message;
              const bar = svg('rect', { class: 'barfill', x: 0, y: y + 5, width: width, height: rowHeight - 10 });
              bar.appendChild(svg('title', { text: entry.count + ' × ' + entry.message }));
              chart.appendChild(bar);
              chart.appendChild(svg('text', { x: width + 8, y: y + rowHeight / 2 + 4, text: entry.count + ' × ' + label }));
            });
            return h('div', { class: 'chart-wrap' }, chart);
          }
          function facts(run) {
            const source = ((run.summary || {}).meta || {}).source || {};
            const rows = [['File', run.original_filename || '–'], ['Format', source.format || '–'], ['Encoding', source.encoding || '–'],
              ['Delimiter', source.delimiter === undefined ? '–' : (source.delimiter === '\t' ? 'tab' : source.delimiter)],
              ['Sheet', source.sheet], ['Dry run', run.dry_run ? 'yes' : 'no'], ['Created', fmtTime(run.created_at)],
              ['Started', fmtTime(run.started_at)], ['Completed', fmtTime(run.completed_at)], ['Failure reason', run.failure_reason]];
            return h('dl', { class: 'facts', id: 'facts' }, rows.filter(function (r) { return r[1] !== undefined && r[1] !== null; }).map(function (r) {
              return [h('dt', { text: r[0] }), h('dd', { 'data-fact': r[0].toLowerCase(), text: r[1] })];
            }));
          }
          function columnHeaders(importer) {
            // Target column → the source headers it reads, to find a failing cell in a row's data.
            const map = {};
            ((importer && importer.columns) || []).forEach(function (c) { map[c.name] = (c.from || []).map(function (f) { return f.toLowerCase(); }); });
            return map;
          }
          function failedRowsTable(page, headersOf) {
            const rows = page.data;
            if (!rows.length) return h('p', { class: 'muted', text: 'No failed rows.' });
            const headers = [];
            rows.forEach(function (r) { Object.keys(r.data || {}).forEach(function (k) { if (headers.indexOf(k) < 0) headers.push(k); }); });
            return h('div', { class: 'table-wrap' }, h('table', { id: 'failed-rows' },
              h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Row' }), headers.map(function (k) { return h('th', { scope: 'col', text: k }); }),
                h('th', { scope: 'col', text: 'Message' }))),
              h('tbody', {}, rows.map(function (row) {
                const validation = (row.errors && row.errors.validation) || {};
                const byHeader = {};
                Object.keys(validation).forEach(function (column) {
                  const sources = headersOf[column] || [column.toLowerCase()];
                  headers.forEach(function (k) { if (sources.indexOf(k.toLowerCase()) >= 0) byHeader[k] = (byHeader[k] || []).concat(validation[column]); });
                });
                return h('tr', {}, h('td', { class: 'num', text: row.row_number }), headers.map(function (k) {
                  const value = row.data[k] === undefined || row.data[k] === null ? '' : String(row.data[k]);
                  const messages = byHeader[k];
                  if (!messages) return h('td', { text: value });
                  return h('td', { class: 'bad-cell', title: messages.join(' ') }, value, h('span', { class: 'cell-msg', text: messages.join(' ') }));
                }), h('td', { text: (row.errors && row.errors.message) || '' }));
              }))));
          }
          async function runPage(id) {
            let run = (await api('GET', '/' + id + '?rows=0')).data;
            let importer = null;
            try { importer = (await api('GET', '/importers/' + encodeURIComponent(run.importer))).data; } catch (e) { importer = null; }
            const headersOf = columnHeaders(importer);
            const head = h('div', { id: 'run-head' });
            const errorsBox = h('section', { id: 'errors', 'aria-labelledby': 'errors-title' });
            let failedPage = 1;
            const renderHead = function () {
              head.replaceChildren(
                h('h1', {}, 'Run #' + run.id + ' ', badge(run.status)),
                h('p', {}, 'Importer ', h('a', { href: '#/importers', text: run.importer })),
                progressBlock(run),
                counters(run),
                h('div', { class: 'actions' }, actionButtons(run, refresh)),
                h('h2', { text: 'Source' }), facts(run));
            };
            const renderErrors = async function () {
              if (FINISHED.indexOf(run.status) < 0) { errorsBox.replaceChildren(h('p', { class: 'muted', text: 'Errors appear when the run ends.' })); return; }
              const summary = (await api('GET', '/' + run.id + '/errors/summary')).data;
              const children = [h('h2', { id: 'errors-title', text: 'Most common errors' }), errorChart(summary)];
              if (summary.total_failed_rows > 0) {
                const page = await api('GET', '/' + run.id + '/rows' + query({ status: 'failed', page: failedPage, per_page: 20 }));
                children.push(h('h2', { text: 'Failed rows (' + fmtNumber(summary.total_failed_rows) + ')' }),
                  h('p', {}, h('a', { class: 'button', id: 'download-failed', href: API + '/' + run.id + '/failed-rows/download', download: '',
                    text: 'Download failed rows (CSV)' })),
                  failedRowsTable(page, headersOf), pager(page));
              }
              errorsBox.replaceChildren.apply(errorsBox, children);
            };
            const pager = function (page) {
              const meta = page.meta;
              if (meta.last_page <= 1) return null;
              const go = function (n) { return async function () { failedPage = n; await renderErrors(); }; };
              return h('div', { class: 'pager' },
                h('button', { type: 'button', class: 'secondary', text: 'Previous', disabled: meta.current_page <= 1, onclick: go(meta.current_page - 1) }),
                h('span', { text: 'Page ' + meta.current_page + ' of ' + meta.last_page }),
                h('button', { type: 'button', class: 'secondary', id: 'next-page', text: 'Next', disabled: meta.current_page >= meta.last_page, onclick: go(meta.current_page + 1) }));
            };
            const update = async function (next) {
              const wasFinished = FINISHED.indexOf(run.status) >= 0;
              run = next;
              renderHead();
              if (!wasFinished && FINISHED.indexOf(run.status) >= 0) { stop(); await renderErrors(); }
            };
            const refresh = async function () { await update((await api('GET', '/' + id + '?rows=0')).data); };
            show('Run #' + id, head, errorsBox);
            renderHead();
            await renderErrors();
            const f = await features();
            const stop = FINISHED.indexOf(run.status) >= 0 ? function () {} :
              live(f.runEvents ? '/' + id + '/events' : null, ['progress', 'status', 'completed', 'failed', 'cancelled'], refresh, update);
          }

          // ---- Importers -----------------------------------------------------------
          function planTable(importer) {
            if (!importer.columns) return h('p', { class: 'muted', text: 'No compiled plan: the definition has never compiled.' });
            return h('div', { class: 'table-wrap' }, h('table', { class: 'plan', 'data-importer': importer.slug },
              h('caption', { class: 'muted', text: 'Header → transforms → type → rules → target column' }),
              h('thead', {}, h('tr', {}, ['Header', 'Transforms', 'Type', 'Rules', 'Target column'].map(function (t) { return h('th', { scope: 'col', text: t }); }))),
              h('tbody', {}, importer.columns.map(function (c) {
                const input = c.from ? c.from.join(' | ') : (c.template !== undefined ? 'template ' + c.template : 'value ' + c.value);
                return h('tr', {}, h('td', { text: input }), h('td', { class: 'mono', text: (c.transforms || []).join(' → ') || '–' }),
                  h('td', { text: c.type + ' (' + c.sql_type + ')' }), h('td', { class: 'mono', text: c.rules.join(' | ') || '–' }),
                  h('td', {}, h('code', { text: c.name }), c.lookup ? ' via ' + c.lookup.table + '.' + c.lookup.match : ''));
              }))));
          }
          async function importersPage() {
            const list = (await api('GET', '/importers')).data;
            const sections = await Promise.all(list.map(async function (summary) {
              const detail = (await api('GET', '/importers/' + encodeURIComponent(summary.slug))).data;
              const check = (await api('GET', '/importers/' + encodeURIComponent(summary.slug) + '/check')).data;
              const problems = summary.errors.length ? h('ul', { class: 'problems', 'aria-label': 'Load errors' }, summary.errors.map(function (e) { return h('li', { text: e }); })) : null;
              const checkProblems = check.problems.filter(function (p) { return summary.errors.indexOf(p) < 0; });
              return h('section', { class: 'panel importer', id: 'importer-' + summary.slug, 'data-valid': summary.valid },
                h('h2', {}, (summary.name || summary.slug) + ' ', h('code', { text: summary.slug })),
                h('p', { class: 'muted' }, h('span', { class: 'mono', text: summary.file }),
                  summary.source ? [' · ', summary.source, ' → ', h('code', { text: summary.target_table || '–' }), ' · formats ', summary.formats.join(', ')] : null),
                summary.valid ? h('p', { class: 'ok', text: 'Loads without errors.' }) : h('p', { class: 'error', text: 'Load errors' + (summary.serving_previous_version ? ' (the previous version is still served):' : ':') }),
                problems,
                planTable(detail),
                h('p', { class: 'examples ' + (check.ok ? 'ok' : 'error'), text: !summary.valid && !detail.columns
                  ? 'Examples: not run, the definition does not load.'
                  : 'Examples: ' + check.examples_passed + ' of ' + check.examples_total + ' pass' + (checkProblems.length ? '; the check found problems:' : '.') }),
                checkProblems.length ? h('ul', { class: 'problems' }, checkProblems.map(function (p) { return h('li', { text: p }); })) : null,
                check.warnings.length ? h('ul', { class: 'muted' }, check.warnings.map(function (w) { return h('li', { text: w }); })) : null,
                can('run') && detail.columns ? h('p', {}, h('a', { href: '#/upload?importer=' + encodeURIComponent(summary.slug), text: 'Upload a file for ' + summary.slug })) : null);
            }));
            show('Importers', h('h1', { text: 'Importers' }), sections.length ? sections : h('p', { class: 'muted', text: 'No importers.' }));
          }

          // ---- Router --------------------------------------------------------------
          async function route() {
            state.cleanup.splice(0).forEach(function (stop) { stop(); });
            const hash = location.hash || '#/runs';
            const [path, search] = hash.slice(1).split('?');
            const params = new URLSearchParams(search || '');
            const parts = path.split('/').filter(Boolean);
            document.querySelectorAll('nav a[data-page]').forEach(function (a) {
              if (a.dataset.page === parts[0]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
            });
            if (!state.session && parts[0] !== 'signin') { location.hash = '#/signin'; return; }
            try {
              if (parts[0] === 'signin') signInPage();
              else if (parts[0] === 'runs' && /^\d+$/.test(parts[1] || '')) await runPage(parts[1]);
              else if (parts[0] === 'upload') await uploadPage(params);
              else if (parts[0] === 'importers') await importersPage();
              else await runsPage(params);
              main.focus({ preventScroll: true });
            } catch (e) {
              if (e.status !== 401) show('Error', h('h1', { text: 'Something went wrong' }), h('p', { class: 'error', role: 'alert', text: e.message }));
            }
          }
          async function start() {
            document.getElementById('signout').addEventListener('click', async function () {
              try { await api('DELETE', '/session'); } catch (e) { /* signed out either way */ }
              signedOut();
            });
            window.addEventListener('hashchange', route);
            // Only ask the server when this tab signed in before: a 401 would be a console error.
            if (sessionStorage.getItem('ingest.signedIn')) {
              try { signedIn((await api('GET', '/session')).data); } catch (e) { state.session = null; }
            }
            await route();
          }
          start();
        })();
        """#
}
