// SiteSync admin UI: progressive enhancement only; every page works without it. Its jobs: tell the server the browser's time
// zone, search-as-you-type (forms with data-swap), double-click / Enter to open a row, filter a picker's rows as you type, and
// suggest funders.
(() => {
    'use strict';

    // The server writes every time in the zone of the sitesync.tz cookie (UTC without it), and reads date filters in the same
    // zone. Keep the cookie on the browser's zone; when it changes, show the page again in it (once: a zone the server does
    // not know stays UTC, and the cookie then already matches, so there is no loop).
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = document.cookie.split('; ').find(c => c.startsWith('sitesync.tz='))?.slice('sitesync.tz='.length);
    if (zone && /^[A-Za-z0-9_+\/-]{1,64}$/.test(zone) && current !== zone) {
        document.cookie = `sitesync.tz=${zone}; path=/; max-age=31536000; samesite=strict`;
        if (document.documentElement.dataset.zone !== zone && document.querySelector('time[datetime], input[type="date"]')) {
            location.reload();
            return;
        }
    }

    // Rows (tr[data-row]): a click selects the row's radio; a double-click or Enter on the focused row activates it:
    // data-activate names the link or button to press (looked up in the row, then in the page). Opening is all Enter ever
    // does on a row of the site list: deleting has a page of its own that asks.
    function activate(row) {
        const radio = row.querySelector('input[type="radio"]');
        if (radio) {
            radio.checked = true;
        }
        const selector = row.dataset.activate;
        const target = selector && (row.querySelector(selector) || document.querySelector(selector));
        if (target) {
            target.click();
        }
    }
    document.addEventListener('click', event => {
        const row = event.target.closest('tr[data-row]');
        if (row && !event.target.closest('a, button, input, label, select')) {
            const radio = row.querySelector('input[type="radio"]');
            if (radio) {
                radio.checked = true;
            }
        }
    });
    document.addEventListener('dblclick', event => {
        const row = event.target.closest('tr[data-row][data-activate]');
        if (row && !event.target.closest('a, button')) {
            activate(row);
        }
    });
    document.addEventListener('keydown', event => {
        if (event.key !== 'Enter' || !event.target.matches) {
            return;
        }
        // Enter on a row, or on the radio of a row that has an action (the store picker), does the row's action: never the
        // form's first button.
        const row = event.target.matches('tr[data-row][data-activate]') ? event.target
            : event.target.matches('tr[data-row][data-activate] input[type="radio"]') ? event.target.closest('tr') : null;
        if (row) {
            event.preventDefault();
            activate(row);
        }
    });

    // input[data-filter-rows="#tbody"]: hides the rows whose data-filter-text does not contain what is typed.
    document.querySelectorAll('input[data-filter-rows]').forEach(input => {
        const body = document.querySelector(input.dataset.filterRows);
        if (!body) {
            return;
        }
        input.addEventListener('input', () => {
            const term = input.value.trim().toLowerCase();
            body.querySelectorAll('tr[data-filter-text]').forEach(row => {
                row.hidden = term.length > 0 && !row.dataset.filterText.toLowerCase().includes(term);
            });
        });
    });

    // GET forms with data-swap="#region": fetch the same page with the form's query and swap the region in, as you type.
    function enhance(form) {
        let timer = 0;
        let controller = null;
        async function refresh() {
            const url = new URL(form.getAttribute('action') || location.pathname, location.href);
            url.search = new URLSearchParams(new FormData(form)).toString();
            controller?.abort();
            controller = new AbortController();
            try {
                const response = await fetch(url, { signal: controller.signal, headers: { Accept: 'text/html' } });
                if (!response.ok) {
                    return;
                }
                const page = new DOMParser().parseFromString(await response.text(), 'text/html');
                const fresh = page.querySelector(form.dataset.swap);
                const current = document.querySelector(form.dataset.swap);
                if (fresh && current) {
                    current.replaceWith(fresh);
                    history.replaceState(history.state, '', url.pathname + url.search);
                }
            } catch (error) {
                if (error.name !== 'AbortError') {
                    throw error;
                }
            }
        }
        form.addEventListener('submit', event => {
            event.preventDefault();
            refresh();
        });
        form.querySelectorAll('[data-live]').forEach(input => input.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(refresh, 250);
        }));
    }

    // Funder name: search the support database as you type, filling the field's datalist.
    function funderSearch(input) {
        const list = document.getElementById(input.getAttribute('list'));
        let timer = 0;
        input.addEventListener('input', () => {
            clearTimeout(timer);
            timer = setTimeout(async () => {
                const response = await fetch('/api/support/funders?search=' + encodeURIComponent(input.value.trim()),
                    { headers: { Accept: 'application/json' } });
                if (!response.ok) {
                    return;
                }
                const funders = await response.json();
                list.replaceChildren(...funders.map(name => {
                    const option = document.createElement('option');
                    option.value = name;
                    return option;
                }));
            }, 200);
        });
    }

    document.querySelectorAll('form[data-swap]').forEach(enhance);
    document.querySelectorAll('input[data-funder-search][list]:not([readonly])').forEach(funderSearch);
})();
