/* Intake dashboard: progressive enhancement only. Every page works without this file; it
   adds copy buttons, confirmations, and the live submissions list (socket.io). Served
   same-origin under CSP script-src 'self'; it never builds HTML from data: rows come
   server-rendered (escaped) from the row route. */
/* global document, window, navigator, io */
'use strict';

(function dashboard() {
  // Copy buttons: hidden in the HTML, shown only where the clipboard API exists.
  if (navigator.clipboard) {
    for (const button of document.querySelectorAll('[data-copy]')) button.hidden = false;
  }
  document.addEventListener('click', (event) => {
    const button = event.target instanceof window.Element && event.target.closest('[data-copy]');
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    navigator.clipboard.writeText(source.textContent).then(
      () => flash(button, 'Copied'),
      () => flash(button, 'Copy failed'),
    );
  });

  // Destructive actions ask first.
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof window.HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    }
  });

  const list = document.querySelector('[data-live-form]');
  if (list && typeof io === 'function') live(list);

  function flash(button, text) {
    const label = button.textContent;
    button.textContent = text;
    window.setTimeout(() => (button.textContent = label), 1500);
  }

  /**
   * The live list: one socket per page (the session cookie authenticates it), watching this
   * form. Events carry ids only; the row is fetched through the session like the page.
   */
  function live(list) {
    const formId = list.dataset.liveForm;
    const filter = list.dataset.filter;
    const insert = list.dataset.liveInsert === 'true';
    const status = document.getElementById('live-status');
    const empty = document.getElementById('no-submissions');
    // WebSocket only: the handshake carries Origin, which the server checks.
    const socket = io({ transports: ['websocket'] });

    const show = (state, text) => {
      status.hidden = false;
      status.dataset.state = state;
      status.textContent = text;
    };
    const signedOut = () => {
      socket.close();
      show('signed-out', 'Disconnected — sign in again to see new submissions.');
      const link = document.createElement('a');
      link.href = '/sign-in';
      link.textContent = 'Sign in';
      status.append(' ', link);
    };

    socket.on('connect', () => {
      socket.emit('watch_form', { form_id: formId }, (answer) => {
        if (answer && answer.ok) show('live', 'Live: new submissions appear here.');
        else show('error', 'Live updates are unavailable for this form.');
      });
    });
    socket.on('connect_error', (error) => {
      if (error && error.message === 'unauthorized') signedOut();
      else show('reconnecting', 'Reconnecting…');
    });
    // The server closes a socket itself only when its session was revoked.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') signedOut();
      else show('reconnecting', 'Reconnecting…');
    });

    const mine = (message) => message && message.form_id === formId && message.subject_id;
    // The header's count follows arrivals and deletions (each id counted once).
    const count = document.querySelector(`[data-live-count="${formId}"]`);
    const counted = new Set();
    const recount = (id, step) => {
      if (!count || (step > 0 && counted.has(id))) return;
      counted.add(id);
      count.textContent = String(Math.max(0, Number(count.textContent) + step));
    };
    socket.on('submission.created', (message) => {
      if (mine(message)) recount(message.subject_id, 1);
    });
    for (const type of ['submission.created', 'submission.processed', 'submission.updated']) {
      socket.on(type, (message) => {
        if (mine(message)) refresh(message.subject_id);
      });
    }
    socket.on('submission.deleted', (message) => {
      if (!mine(message)) return;
      remove(message.subject_id);
      recount(message.subject_id, -1);
    });

    function rowOf(id) {
      return document.getElementById(`submission-${id}`);
    }

    function remove(id) {
      const row = rowOf(id);
      if (row) row.remove();
      empty.hidden = list.children.length > 0;
    }

    async function refresh(id) {
      const url = `/forms/${formId}/submissions/${id}/row?filter=${encodeURIComponent(filter)}`;
      const response = await fetch(url, { credentials: 'same-origin', redirect: 'error' }).catch(
        () => null,
      );
      if (!response) return;
      if (response.status === 204 || response.status === 404) return remove(id);
      if (!response.ok) return;
      const template = document.createElement('template');
      template.innerHTML = (await response.text()).trim();
      const row = template.content.firstElementChild;
      if (!row) return;
      const existing = rowOf(id);
      if (existing) existing.replaceWith(row);
      else if (insert) list.prepend(row);
      empty.hidden = list.children.length > 0;
    }
  }
})();
