// The connections page: lists connections from the management API and runs Test / Refresh / Revoke without a reload;
// Provide Consent sends an authorization-code connection's admin to the authorization server and back.
// Every value from the server is written with textContent, never as HTML.
(function () {
  'use strict';
  const API = '/oauth/api/connections';
  const list = document.getElementById('connections');
  const status = document.getElementById('load-status');
  const template = document.getElementById('connection-template');
  const cards = new Map();
  let connections = [];

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)oauth-csrf=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : '';
  }

  async function getJson(url) {
    const r = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (r.status === 401 || r.redirected) { location.href = '/oauth/ui/login.html'; throw new Error('signed out'); }
    if (!r.ok) { throw new Error(url + ' answered ' + r.status); }
    return r.json();
  }

  async function post(name, action) {
    const r = await fetch(API + '/' + encodeURIComponent(name) + '/' + action, {
      method: 'POST', credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrfToken() }
    });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { throw new Error(body.message || (action + ' answered ' + r.status)); }
    return body;
  }

  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : '—'; }

  function countdown(iso) {
    if (!iso) { return 'no token cached'; }
    const s = Math.round((new Date(iso) - Date.now()) / 1000);
    if (s <= 0) { return 'expired at ' + time(iso); }
    return 'in ' + (s >= 60 ? Math.floor(s / 60) + ' min ' + (s % 60) + ' s' : s + ' s') + ' (' + time(iso) + ')';
  }

  function card(c) {
    let el = cards.get(c.name);
    if (!el) {
      el = template.content.firstElementChild.cloneNode(true);
      const id = 'conn-' + c.name.replace(/[^A-Za-z0-9_-]/g, '_');
      el.querySelector('.conn-name').id = id;
      el.querySelector('.conn-name').textContent = c.name;
      el.setAttribute('aria-labelledby', id);
      el.dataset.name = c.name;
      el.querySelectorAll('button.act[data-action]').forEach(b => {
        b.setAttribute('aria-label', b.textContent + ' ' + c.name);
        b.addEventListener('click', () => act(c.name, b.dataset.action, el, b));
      });
      el.querySelector('.consent').setAttribute('aria-label', 'Provide consent for ' + c.name);
      const toggle = el.querySelector('.details-toggle');
      toggle.setAttribute('aria-label', 'Details of ' + c.name);
      toggle.addEventListener('click', () => {
        const details = el.querySelector('.details');
        details.hidden = !details.hidden;
        toggle.setAttribute('aria-expanded', String(!details.hidden));
        toggle.textContent = details.hidden ? 'Show details' : 'Hide details';
        if (!details.hidden) { loadDetails(c.name, el); }
      });
      cards.set(c.name, el);
      list.appendChild(el);
    }
    el.dataset.state = c.state;
    const badge = el.querySelector('.badge');
    badge.className = 'badge ' + c.state;
    badge.textContent = c.state;
    badge.setAttribute('aria-label', 'state ' + c.state);
    el.querySelector('.policy').textContent = c.policy;
    el.querySelector('.base-url').textContent = c.baseUrl;
    el.querySelector('.token-host').textContent = c.tokenEndpointHost || '—';
    el.querySelector('.scopes').textContent = (c.scopes && c.scopes.length) ? c.scopes.join(' ') : '—';
    el.querySelector('.expiry').dataset.expiresAt = c.tokenExpiresAt || '';
    el.querySelector('.expiry').textContent = countdown(c.tokenExpiresAt);
    el.querySelector('.last-refresh').textContent = c.lastRefresh ? time(c.lastRefresh) : 'never';
    const err = el.querySelector('.last-error');
    if (c.lastError) {
      err.hidden = false;
      err.textContent = 'Last error: ' + (c.lastError.code ? c.lastError.code + ' ' : '')
        + (c.lastError.httpStatus ? '(HTTP ' + c.lastError.httpStatus + ') ' : '') + '— ' + c.lastError.message;
    } else {
      err.hidden = true;
      err.textContent = '';
    }
    // Provide Consent: authorization-code connections only. It leaves the page for the authorization server, whose
    // sign-in sends the browser to the callback page, which links back here.
    const consent = el.querySelector('.consent');
    const consentUrl = c.consentUrl; // set by the API for connections that take consent, null otherwise
    consent.disabled = !consentUrl;
    consent.title = consentUrl
      ? (c.state === 'NEEDS_CONSENT' ? 'Sign in at the authorization server and give consent'
        : 'Give consent again (for example as another user)')
      : "This connection's policy needs no consent";
    consent.classList.toggle('wanted', c.state === 'NEEDS_CONSENT');
    consent.onclick = consentUrl ? () => {
      const result = el.querySelector('.result');
      result.className = 'result';
      result.textContent = 'Opening the authorization server…';
      location.href = consentUrl;
    } : null;
    const counts = el.querySelector('.counts');
    counts.replaceChildren(...Object.entries({
      'token requests ok': c.counts.tokenRequestsOk, 'failed': c.counts.tokenRequestsFailed,
      '401 replays': c.counts.replays, 'blocked': c.counts.blocked
    }).map(([k, v]) => {
      const d = document.createElement('div');
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = String(v ?? 0);
      d.append(dt, dd);
      return d;
    }));
    if (!el.querySelector('.details').hidden) { loadDetails(c.name, el); }
  }

  async function loadDetails(name, el) {
    const events = await getJson(API + '/' + encodeURIComponent(name) + '/events');
    const rows = events.slice(0, 15).map(e => {
      const tr = document.createElement('tr');
      [time(e.at), e.type, e.fingerprint || '—', e.detail || ''].forEach((v, i) => {
        const td = document.createElement('td');
        if (i === 2 && e.fingerprint) { const code = document.createElement('code'); code.textContent = v; td.appendChild(code); }
        else { td.textContent = v; }
        tr.appendChild(td);
      });
      return tr;
    });
    el.querySelector('.events tbody').replaceChildren(...rows);
    const img = el.querySelector('.timeline');
    img.alt = 'Timeline of ' + name + "'s token events in the last hour: " + events.length + ' recent event(s)';
    img.src = API + '/' + encodeURIComponent(name) + '/timeline.svg?t=' + Date.now();
  }

  function describe(action, r) {
    if (action === 'revoke') { return (r.result === 'REVOKED_LOCALLY' ? 'Token dropped. ' : '') + r.detail + ' State: ' + r.state + '.'; }
    if (r.result === 'OK' && r.fingerprint) {
      return (action === 'test' ? 'Test passed' : 'Refreshed') + ': new token fp=' + r.fingerprint + ', expires '
        + time(r.expiresAt) + ', scopes ' + (r.scopes || []).join(' ') + '. State: ' + r.state + '.';
    }
    if (r.result === 'OK') { return (r.detail || 'OK') + '. State: ' + r.state + '.'; }
    return (action === 'test' ? 'Test failed' : 'Refresh failed') + ': ' + (r.errorCode ? r.errorCode + ' ' : '')
      + (r.httpStatus ? '(HTTP ' + r.httpStatus + ') ' : '') + '— ' + r.error + ' State: ' + r.state + '.';
  }

  async function act(name, action, el, button) {
    const result = el.querySelector('.result');
    const buttons = el.querySelectorAll('button.act[data-action]');
    buttons.forEach(b => { b.disabled = true; });
    result.className = 'result';
    delete result.dataset.result;
    result.textContent = action.charAt(0).toUpperCase() + action.slice(1) + ' running…';
    try {
      const r = await post(name, action);
      result.textContent = describe(action, r);
      result.classList.toggle('failed', r.result === 'FAILED');
      result.dataset.result = r.result;
    } catch (e) {
      result.textContent = 'Could not ' + action + ': ' + e.message;
      result.classList.add('failed');
      result.dataset.result = 'ERROR';
    } finally {
      buttons.forEach(b => { b.disabled = false; });
      button.focus();
      await refreshList();
    }
  }

  async function refreshList() {
    try {
      connections = await getJson(API);
      connections.forEach(card);
      status.textContent = connections.length + ' connection(s); the list updates every 5 s.';
    } catch (e) {
      status.textContent = 'Could not load the connections: ' + e.message;
    }
  }

  setInterval(() => {
    document.querySelectorAll('.expiry').forEach(dd => { dd.textContent = countdown(dd.dataset.expiresAt); });
  }, 1000);
  setInterval(refreshList, 5000);
  refreshList();
}());
