// The sagaflow console: four pages (overview, sagas, one saga, dead letters) drawn from the console's JSON API and
// refreshed in place. Everything shown comes from databases and messages that hostile clients may have written, so
// text is only ever set through textContent, never parsed as HTML.
'use strict';

const REFRESH_MS = { overview: 1000, sagas: 2000, saga: 2000, deadLetters: 3000 };
const STATES = ['', 'RUNNING', 'COMPENSATING', 'COMPLETED', 'CANCELLED', 'FAILED'];

let refreshTimer = null;
let rateChart = null;

// --- small helpers -------------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(headers, rows, attributes) {
  return el('table', attributes,
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))),
    el('tbody', {}, ...rows));
}

function setStatus(text, isError) {
  const footer = document.getElementById('status');
  footer.textContent = text;
  footer.className = isError ? 'error' : '';
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: 'not JSON' }));
  if (!response.ok) throw new Error(body.error || `${response.status}`);
  return body;
}

async function postJson(path, body) {
  const token = document.getElementById('token').value.trim();
  if (!token) throw new Error('enter the operator token first (its file is in the console\'s --help)');
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: 'not JSON' }));
  if (!response.ok) throw new Error(answer.error || `${response.status}`);
  return answer;
}

function formatTime(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : '';
}

function prettyPayload(text) {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 1);
  } catch (e) {
    return text;
  }
}

function stateCell(state) {
  return el('td', { class: `state-${state}`, text: state });
}

// --- overview --------------------------------------------------------------------------------------------------

function renderOverviewShell(page) {
  page.append(
    el('div', { class: 'cards' },
      ...['running', 'compensating', 'stuck', 'failed'].map((name) =>
        el('div', { class: 'card' },
          el('div', { class: 'value', id: `count-${name}`, text: '–' }),
          el('div', { class: 'label', text: name })))),
    el('h2', { text: 'Sagas per second' }),
    el('div', { class: 'chart-box' }, el('canvas', { id: 'rates-chart' })),
    el('h2', { text: 'Services' }),
    el('div', { id: 'services' }));
  const datasets = [
    ['started', '#3566c8'], ['completed', '#1f7a3d'], ['cancelled', '#a15c00'], ['failed', '#b42318'],
  ].map(([label, color]) => ({ label, data: [], borderColor: color, backgroundColor: color, pointRadius: 0 }));
  rateChart = new Chart(document.getElementById('rates-chart'), {
    type: 'line',
    data: { labels: [], datasets },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'sagas/s' } } },
    },
  });
}

function updateOverview(overview) {
  for (const name of ['running', 'compensating', 'stuck', 'failed']) {
    document.getElementById(`count-${name}`).textContent = overview.sagas[name];
  }
  rateChart.data.labels = overview.rates.map((p) => new Date(p.at).toISOString().substring(11, 19));
  for (const dataset of rateChart.data.datasets) {
    dataset.data = overview.rates.map((p) => p[dataset.label]);
  }
  rateChart.update();
  const rows = overview.services.map((s) => el('tr', { 'data-service': s.name },
    el('td', { text: s.name }),
    el('td', { class: s.answering ? 'yes' : 'no', text: s.answering ? 'yes' : `no (last ${formatTime(s.lastAnswer) || 'never'})` }),
    el('td', { class: s.brokerConnected ? 'yes' : 'no', text: s.brokerConnected ? 'connected' : 'disconnected' }),
    el('td', { class: 'backlog', text: s.outboxBacklog }),
    el('td', { text: s.oldestUnpublishedMs === null ? '' : `${Math.round(s.oldestUnpublishedMs / 1000)} s` }),
    el('td', { class: 'dead-letters', text: s.deadLetters })));
  document.getElementById('services').replaceChildren(
    table(['service', 'answering', 'broker', 'outbox backlog', 'oldest unpublished', 'dead letters'], rows,
      { id: 'services-table' }));
}

async function showOverview(page) {
  renderOverviewShell(page);
  const refresh = async () => updateOverview(await getJson('/api/overview'));
  return refresh;
}

// --- sagas -----------------------------------------------------------------------------------------------------

function filterFromHash(params) {
  const filter = {};
  for (const key of ['definition', 'state', 'from', 'to', 'correlation', 'stuck']) {
    if (params.get(key)) filter[key] = params.get(key);
  }
  return filter;
}

function query(filter, extra) {
  const params = new URLSearchParams({ ...filter, ...extra });
  return params.toString();
}

function filterForm(filter) {
  const input = (name, label, type) => el('label', {}, label,
    el('input', { name, type: type || 'text', value: filter[name] || '' }));
  const stateSelect = el('select', { name: 'state' },
    ...STATES.map((s) => el('option', { value: s, text: s || 'any', selected: filter.state === s })));
  const form = el('form', { class: 'filters', id: 'saga-filters' },
    input('definition', 'definition'),
    el('label', {}, 'state', stateSelect),
    input('from', 'created from (UTC)', 'datetime-local'),
    input('to', 'created before (UTC)', 'datetime-local'),
    input('correlation', 'correlation id'),
    el('label', {}, 'stuck only', el('input', { name: 'stuck', type: 'checkbox', checked: filter.stuck === '1' })),
    el('button', { type: 'submit', text: 'Apply' }),
    el('button', { type: 'button', class: 'danger', id: 'bulk-redrive', text: 'Redrive all matching…' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = {};
    for (const [key, value] of data.entries()) if (value) chosen[key] = key === 'stuck' ? '1' : value;
    location.hash = `#/sagas?${query(chosen, {})}`;
  });
  form.querySelector('#bulk-redrive').addEventListener('click', () => bulkRedrive(filter));
  return form;
}

async function bulkRedrive(filter) {
  try {
    const preview = await getJson(`/api/sagas?${query(filter, { limit: 200 })}`);
    const candidates = preview.sagas.filter((s) => s.state !== 'COMPLETED' && s.state !== 'CANCELLED');
    if (candidates.length === 0) {
      setStatus('no saga matching these filters can be redriven (finished sagas are left alone)');
      return;
    }
    const more = preview.next ? ' (the first page of matches only)' : '';
    if (!confirm(`Redrive ${candidates.length} saga(s)${more}?`)) return;
    const answer = await postJson('/api/sagas/retry-bulk', { sagaIds: candidates.map((s) => s.sagaId) });
    const failed = answer.results.filter((r) => !r.ok);
    setStatus(`redrove ${answer.results.length - failed.length} of ${answer.results.length} saga(s)` +
      (failed.length ? `; refused: ${failed.map((r) => `${r.sagaId}: ${r.answer}`).join('; ')}` : ''), failed.length > 0);
  } catch (error) {
    setStatus(`bulk redrive: ${error.message}`, true);
  }
}

async function showSagas(page, params) {
  const filter = filterFromHash(params);
  const cursors = params.get('cursor') ? params.get('cursor').split(',') : [];
  page.append(filterForm(filter), el('div', { id: 'sagas' }), el('div', { class: 'pager', id: 'pager' }));
  const refresh = async () => {
    const cursor = cursors.length ? cursors[cursors.length - 1] : '';
    const answer = await getJson(`/api/sagas?${query(filter, cursor ? { cursor } : {})}`);
    const rows = answer.sagas.map((s) => el('tr', { 'data-saga': s.sagaId, 'data-correlation': s.correlationId },
      el('td', {}, el('a', { href: `#/saga/${encodeURIComponent(s.sagaId)}`, text: s.correlationId })),
      el('td', { text: `${s.definition} v${s.definitionVersion}` }),
      stateCell(s.state),
      el('td', { text: s.failureReason || '' }),
      el('td', { text: s.createdAt }),
      el('td', { text: s.updatedAt }),
      el('td', { text: s.nextTimer || '' })));
    document.getElementById('sagas').replaceChildren(table(
      ['correlation id', 'definition', 'state', 'reason', 'created', 'updated', 'next timer'], rows,
      { id: 'sagas-table' }));
    const pager = [];
    if (cursors.length) {
      pager.push(el('a', { href: `#/sagas?${query(filter, cursors.length > 1 ? { cursor: cursors.slice(0, -1).join(',') } : {})}`, text: '← newer' }));
    }
    if (answer.next) {
      pager.push(el('a', { id: 'older', href: `#/sagas?${query(filter, { cursor: [...cursors, answer.next].join(',') })}`, text: 'older →' }));
    }
    document.getElementById('pager').replaceChildren(...pager);
  };
  return refresh;
}

// --- one saga --------------------------------------------------------------------------------------------------

function facts(pairs) {
  return el('dl', { class: 'facts' }, ...pairs.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v ?? '' })]));
}

function orderPanel(order) {
  if (!order) return null;
  const parts = [el('h2', { text: 'Order' }),
    facts([['status', order.status], ['reason', order.reason], ['customer', order.customerId],
      ['total', order.totalAmount], ['created', order.createdAt]]),
    table(['at', 'event'], (order.history || []).map((h) => el('tr', {}, el('td', { text: h.at }), el('td', { text: h.event }))),
      { id: 'order-history' })];
  if (order.payment) parts.push(el('h2', { text: 'Payment' }), facts(Object.entries(order.payment)));
  if (order.reservation) parts.push(el('h2', { text: 'Reservation' }), facts(Object.entries(order.reservation)));
  if (order.notifications && order.notifications.length) {
    parts.push(el('h2', { text: 'Notifications' }), table(['at', 'kind', 'message'],
      order.notifications.map((n) => el('tr', {}, el('td', { text: n.at }), el('td', { text: n.kind }), el('td', { text: n.message })))));
  }
  return el('section', { id: 'order' }, ...parts);
}

async function redriveOne(saga) {
  if (!confirm(`Redrive saga ${saga.correlationId} (${saga.definition}, ${saga.state})?`)) return;
  try {
    const answer = await postJson('/api/sagas/retry', { sagaId: saga.sagaId });
    setStatus(`redrive of ${saga.correlationId}: ${answer.result}`);
  } catch (error) {
    setStatus(`redrive of ${saga.correlationId}: ${error.message}`, true);
  }
}

async function showSaga(page, sagaId) {
  const refresh = async () => {
    const detail = await getJson(`/api/saga?id=${encodeURIComponent(sagaId)}`);
    const saga = detail.saga;
    const parts = [
      el('h2', { text: `${saga.definition} saga for ${saga.correlationId}` }),
      facts([['saga id', saga.sagaId], ['definition', `${saga.definition} version ${saga.definitionVersion}`],
        ['state', saga.state], ['reason', saga.failureReason], ['created', saga.createdAt], ['updated', saga.updatedAt]]),
    ];
    if (saga.state !== 'COMPLETED' && saga.state !== 'CANCELLED') {
      parts.push(el('p', {}, el('button', { class: 'danger', id: 'redrive', text: 'Redrive…', onclick: () => redriveOne(saga) })));
    }
    if (detail.waiting.length) {
      parts.push(el('div', { class: 'waiting', id: 'waiting' }, el('strong', { text: 'Why it waits' }),
        el('ul', {}, ...detail.waiting.map((line) => el('li', { text: line })))));
    }
    parts.push(el('h2', { text: 'Steps' }), table(
      ['step', 'stage', 'status', 'attempts', 'compensation attempts', 'deadline', 'reason', 'last reply'],
      detail.steps.map((s) => el('tr', { 'data-step': s.step },
        el('td', { text: s.step }), el('td', { text: s.stage }), stateCell(s.status), el('td', { text: s.attempts }),
        el('td', { text: s.compensationAttempts }), el('td', { text: s.deadline || '' }),
        el('td', { text: s.failureReason || '' }), el('td', { text: s.lastReply || '' }))),
      { id: 'steps-table' }));
    parts.push(el('h2', { text: 'Timeline' }), table(['at', 'event', 'step', 'attempt', 'topic', 'detail', 'payload'],
      detail.timeline.map((e) => el('tr', { 'data-kind': e.kind },
        el('td', { text: e.at }), el('td', { text: e.kind }), el('td', { text: e.step || '' }),
        el('td', { text: e.attempt || '' }), el('td', { text: e.topic || '' }), el('td', { text: e.detail || '' }),
        el('td', { class: 'payload' }, el('pre', { text: prettyPayload(e.payload) })))),
      { id: 'timeline-table' }));
    parts.push(orderPanel(detail.order));
    page.replaceChildren(...parts.filter((p) => p));
  };
  return refresh;
}

// --- dead letters ----------------------------------------------------------------------------------------------

async function showDeadLetters(page) {
  const refresh = async () => {
    const answer = await getJson('/api/dead-letters');
    page.replaceChildren(...answer.services.flatMap((service) => [
      el('h2', { text: `${service.name} (${service.deadLetters.length}${service.more ? '+' : ''})` }),
      service.deadLetters.length === 0 ? el('p', { text: 'none' }) :
        table(['at', 'topic', 'error', 'payload'], service.deadLetters.map((d) => el('tr', { 'data-topic': d.topic },
          el('td', { text: d.at }), el('td', { text: d.topic }), el('td', { text: d.error }),
          el('td', { class: 'payload' }, el('pre', { text: prettyPayload(d.payload) })))),
        { 'data-service': service.name }),
    ]));
  };
  return refresh;
}

// --- routing ---------------------------------------------------------------------------------------------------

async function route() {
  clearInterval(refreshTimer);
  rateChart = null;
  const hash = location.hash || '#/overview';
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search || '');
  const page = document.getElementById('page');
  page.replaceChildren();
  let refresh;
  let every;
  let nav = 'overview';
  if (path.startsWith('/saga/')) {
    refresh = await showSaga(page, decodeURIComponent(path.slice('/saga/'.length)));
    every = REFRESH_MS.saga;
    nav = 'sagas';
  } else if (path === '/sagas') {
    refresh = await showSagas(page, params);
    // Only the newest page follows new sagas; an older page holds still while it is read.
    every = params.get('cursor') ? 0 : REFRESH_MS.sagas;
    nav = 'sagas';
  } else if (path === '/dead-letters') {
    refresh = await showDeadLetters(page);
    every = REFRESH_MS.deadLetters;
    nav = 'dead-letters';
  } else {
    refresh = await showOverview(page);
    every = REFRESH_MS.overview;
  }
  for (const link of document.querySelectorAll('header nav a')) link.classList.toggle('active', link.id === `nav-${nav}`);
  const run = async () => {
    try {
      await refresh();
      setStatus(`updated ${new Date().toISOString().substring(11, 19)} UTC`);
    } catch (error) {
      setStatus(`could not update: ${error.message}`, true);
    }
  };
  await run();
  if (every) refreshTimer = setInterval(run, every);
}

document.addEventListener('DOMContentLoaded', () => {
  const token = document.getElementById('token');
  token.value = sessionStorage.getItem('sagaflow-token') || '';
  token.addEventListener('change', () => sessionStorage.setItem('sagaflow-token', token.value.trim()));
  window.addEventListener('hashchange', route);
  route();
});
