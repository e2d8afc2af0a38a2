// suggest.js: suggestions as you type, as an ARIA 1.2 combobox: the input
// keeps focus, the list is a listbox, the active option is named by
// aria-activedescendant; ArrowDown/ArrowUp move, Enter opens the active
// option, Escape closes the list. Requests are debounced and the one
// still running is aborted when the user types on.

import * as api from './api.js';
import { h, clear } from './dom.js';

const DEBOUNCE_MS = 150;

export function attachSuggest(input, list, onPick) {
  let timer = 0;
  let controller = null;
  let items = [];
  let active = -1;

  function close() {
    // a request still pending (typed just before Enter) must not open
    // the list again over the results
    clearTimeout(timer);
    if (controller) controller.abort();
    controller = null;
    items = [];
    active = -1;
    clear(list);
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    const opts = list.querySelectorAll('[role="option"]');
    opts.forEach((o, k) => o.setAttribute('aria-selected', k === i ? 'true' : 'false'));
    active = i;
    if (i >= 0 && opts[i]) {
      input.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render(sugs) {
    clear(list);
    items = sugs;
    active = -1;
    if (!sugs.length) {
      close();
      return;
    }
    sugs.forEach((s, i) => {
      const meta = [s.type, s.number].filter(Boolean).join(' ');
      const li = h(
        'li',
        { id: 'sugg-' + i, role: 'option', 'aria-selected': 'false', class: 'suggestion' },
        meta ? h('span', { class: 'sugg-meta' }, meta) : null,
        h('span', { class: 'sugg-title' }, s.title || s.text || s.id),
      );
      // mousedown, not click: the input must not lose focus first
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        pick(i);
      });
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function pick(i) {
    const s = items[i];
    close();
    if (s) onPick(s);
  }

  async function fetchNow(q) {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const res = await api.suggest(q, controller.signal);
      if (input.value.trim() !== q) return; // typed on meanwhile
      render(res.suggestions || []);
    } catch (e) {
      if (e.name !== 'AbortError') close();
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      if (controller) controller.abort();
      close();
      return;
    }
    timer = setTimeout(() => fetchNow(q), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (e) => {
    const open = !list.hidden && items.length > 0;
    if (e.key === 'ArrowDown' && open) {
      e.preventDefault();
      setActive(active + 1 >= items.length ? 0 : active + 1);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      setActive(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === 'Enter' && open && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      close();
    }
  });

  input.addEventListener('blur', () => setTimeout(close, 100));

  return { close };
}
