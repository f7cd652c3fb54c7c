// The dashboard's shell: header, language toggle, and a hash router over the views. Each view
// renders into <main> and returns a function that stops what it started (streams).
import { h, replace } from './dom.js';
import { language, setLanguage, t } from './i18n.js';
import { logout, session } from './session.js';
import { renderAudit } from './views/audit.js';
import { renderJobs } from './views/jobs.js';
import { renderLogin } from './views/login.js';
import { renderNational } from './views/national.js';
import { renderState } from './views/state.js';

const ROUTES = [
  { pattern: /^#\/states\/(\d{2})$/, names: ['stateCode'], view: renderState },
  { pattern: /^#\/jobs$/, names: [], view: renderJobs },
  { pattern: /^#\/audit$/, names: [], view: renderAudit },
  { pattern: /^#?\/?$/, names: [], view: renderNational },
];

let stopView = () => undefined;

const navigate = (hash) => {
  if (location.hash !== hash) return void (location.hash = hash);
  header();
  route();
};

function header() {
  const s = session();
  replace(
    document.getElementById('header'),
    h('div', { class: 'brand' }, h('h1', {}, t('app.title')), h('p', {}, t('app.subtitle'))),
    h(
      'nav',
      {},
      s ? [h('a', { href: '#/' }, t('nav.national')), h('a', { href: '#/jobs' }, t('nav.jobs')), h('a', { href: '#/audit' }, t('nav.audit'))] : null,
      h(
        'button',
        {
          class: 'link',
          'data-testid': 'language',
          onclick: () => {
            setLanguage(language() === 'es' ? 'en' : 'es');
            render();
          },
        },
        t('nav.language'),
      ),
      s
        ? [
            h('span', { class: 'who', 'data-testid': 'who' }, `${s.sub} (${s.roles.map((r) => t(`role.${r}`)).join(', ')}${s.states.length ? ` · ${s.states.join(', ')}` : ''})`),
            h(
              'button',
              {
                class: 'link',
                onclick: () => {
                  logout();
                  navigate('#/');
                },
              },
              t('nav.logout'),
            ),
          ]
        : null,
    ),
  );
  replace(document.getElementById('footer'), t('footer.map'));
}

function route() {
  stopView();
  const main = document.getElementById('main');
  if (!session()) {
    stopView = renderLogin(main, { navigate });
    return;
  }
  for (const r of ROUTES) {
    const match = r.pattern.exec(location.hash);
    if (!match) continue;
    const params = Object.fromEntries(r.names.map((name, i) => [name, match[i + 1]]));
    stopView = r.view(main, { params, navigate }) ?? (() => undefined);
    return;
  }
  navigate('#/');
}

function render() {
  document.documentElement.lang = language();
  document.title = t('app.title');
  header();
  route();
}

window.addEventListener('hashchange', () => {
  header();
  route();
});
render();
