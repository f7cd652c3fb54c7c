// National view: the map coloured by stage beside a sortable table, refetched whenever the
// overview stream says the read model changed.
import { api, stream } from '../api.js';
import { h, replace } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { STAGES, stateMap, stageLegend } from '../map.js';

const percent = (v) => (v === null || v === undefined ? '—' : `${formatNumber(v, 1)} %`);
const mean = (values) => {
  const known = values.filter((v) => v !== null && v !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
};
const hiringOf = (s) => mean([s.hiring?.specialists, s.hiring?.generalPractitioners, s.hiring?.nursing]);
// A state with no units inventoried has no share to show, rather than 0 %.
const unitShare = (s, key) => (s.units?.total ? s.units[key] : null);

/** The table's columns: how each is read from a state, shown, and sorted. */
const COLUMNS = [
  { key: 'state', label: 'col.state', value: (s) => s.stateName, show: (s) => s.stateName },
  { key: 'stage', label: 'col.stage', value: (s) => STAGES.indexOf(s.stage), show: (s) => t(`stage.${s.stage}`) },
  { key: 'days', label: 'col.days', value: (s) => s.daysInStage, show: (s) => formatNumber(s.daysInStage) },
  { key: 'handedOver', label: 'col.handedOver', value: (s) => unitShare(s, 'handedOverPercent'), show: (s) => percent(unitShare(s, 'handedOverPercent')) },
  { key: 'reRegistered', label: 'col.reRegistered', value: (s) => unitShare(s, 'reRegisteredPercent'), show: (s) => percent(unitShare(s, 'reRegisteredPercent')) },
  {
    key: 'hiring',
    label: 'col.hiring',
    value: hiringOf,
    show: (s) => percent(hiringOf(s)),
    title: (s) =>
      `${t('category.specialist')}: ${percent(s.hiring?.specialists)} · ${t('category.general-practitioner')}: ${percent(s.hiring?.generalPractitioners)} · ${t('category.nursing')}: ${percent(s.hiring?.nursing)}`,
  },
  { key: 'formalized', label: 'col.formalized', value: (s) => s.formalized, show: (s) => formatNumber(s.formalized ?? 0) },
  { key: 'fillRate', label: 'col.fillRate', value: (s) => s.fillRate, show: (s) => percent(s.fillRate) },
  { key: 'funds', label: 'col.funds', value: (s) => s.dignification?.fundsDeliveredPercent, show: (s) => percent(s.dignification?.fundsDeliveredPercent) },
];

function compare(column, direction) {
  return (a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === y) return a.stateCode.localeCompare(b.stateCode);
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const order = typeof x === 'string' ? x.localeCompare(y, 'es') : x - y;
    return direction === 'asc' ? order : -order;
  };
}

export function renderNational(root, { navigate }) {
  let overview = null;
  let sort = { key: 'state', direction: 'asc' };
  const status = h('span', { class: 'live', 'data-live': 'off' }, t('common.offline'));
  const asOf = h('p', { class: 'as-of' });
  const mapBox = h('div', { class: 'map-box' });
  const tableBox = h('div', { class: 'table-box' });
  replace(root, h('section', { class: 'national' }, h('header', { class: 'view-head' }, h('h2', {}, t('national.title')), status), asOf, h('div', { class: 'national-grid' }, mapBox, tableBox)));

  const draw = () => {
    const states = overview.states;
    replace(
      asOf,
      `${t('national.asOf')}: `,
      Object.entries(overview.asOf).map(([source, at], i) => [
        i ? ' · ' : '',
        h('span', { class: at ? 'source' : 'source stale', 'data-source': source }, `${t(`source.${source}`)} ${at ? formatDate(at, true) : t('national.never')}`),
      ]),
    );
    replace(mapBox, stateMap(states, (code) => navigate(`#/states/${code}`)), stageLegend(states));
    const column = COLUMNS.find((c) => c.key === sort.key);
    const rows = [...states].sort(compare(column, sort.direction));
    replace(
      tableBox,
      h(
        'table',
        { class: 'overview-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            COLUMNS.map((c) =>
              h(
                'th',
                { scope: 'col', 'aria-sort': c.key === sort.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none' },
                h(
                  'button',
                  {
                    class: 'sort',
                    dataset: { sort: c.key },
                    onclick: () => {
                      sort = { key: c.key, direction: sort.key === c.key && sort.direction === 'asc' ? 'desc' : 'asc' };
                      draw();
                    },
                  },
                  t(c.label),
                  c.key === sort.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '',
                ),
              ),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((s) =>
            h(
              'tr',
              { dataset: { state: s.stateCode, stage: s.stage }, onclick: () => navigate(`#/states/${s.stateCode}`) },
              COLUMNS.map((c) =>
                h(
                  'td',
                  { dataset: { col: c.key }, title: c.title?.(s) },
                  c.key === 'state' ? h('a', { href: `#/states/${s.stateCode}` }, s.stateName) : c.key === 'stage' ? h('span', { class: `chip stage-${s.stage}` }, c.show(s)) : c.show(s),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };

  let loading = null;
  let again = false;
  const load = async () => {
    if (loading) {
      again = true;
      return loading;
    }
    loading = (async () => {
      try {
        overview = await api('/overview');
        draw();
      } finally {
        loading = null;
      }
      if (again) {
        again = false;
        await load();
      }
    })();
    return loading;
  };

  const stop = stream('/overview/stream', {
    onEvent: (type) => {
      if (type === 'overview') void load().catch(() => undefined);
    },
    onStatus: (live) => {
      status.dataset.live = live ? 'on' : 'off';
      status.textContent = live ? t('common.live') : t('common.offline');
      // Catch up on anything missed while disconnected.
      if (live) void load().catch(() => undefined);
    },
  });
  replace(tableBox, h('p', {}, t('common.loading')));
  load().catch((error) => replace(tableBox, h('p', { class: 'error' }, `${t('common.error')}: ${error.message}`)));
  return stop;
}
