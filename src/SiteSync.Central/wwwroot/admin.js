// SiteSync admin UI: progressive enhancement only; every page works without it. Three jobs:
// search-as-you-type (forms with data-swap), double-click / Enter to open a row, dates in the viewer's locale.
(() => {
    'use strict';

    // <time datetime="…Z" data-local="date|time|datetime">: the server writes UTC; show it in the viewer's locale and zone.
    function formatTimes(root) {
        root.querySelectorAll('time[datetime][data-local]').forEach(element => {
            const date = new Date(element.getAttribute('datetime'));
            if (Number.isNaN(date.getTime())) {
                return;
            }
            const part = element.dataset.local;
            element.textContent = part === 'date' ? date.toLocaleDateString()
                : part === 'time' ? date.toLocaleTimeString() : date.toLocaleString();
            element.title = date.toISOString();
        });
    }

    // Rows (tr[data-row]): a click selects the row's radio; a double-click or Enter on the focused row activates it:
    // data-activate names the link or button to press (looked up in the row, then in the page).
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
        if (row) {
            activate(row);
        }
    });
    document.addEventListener('keydown', event => {
        if (event.key === 'Enter' && event.target.matches && event.target.matches('tr[data-row][data-activate]')) {
            event.preventDefault();
            activate(event.target);
        }
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
                    formatTimes(fresh);
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

    formatTimes(document);
    document.querySelectorAll('form[data-swap]').forEach(enhance);
    document.querySelectorAll('input[data-funder-search][list]:not([readonly])').forEach(funderSearch);
})();
