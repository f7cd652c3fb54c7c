// The map of Mexico's 32 states coloured by transfer stage. The outlines are "Map of Mexico" by
// Victor Cazanave (@svg-maps/mexico, CC BY 4.0), copied into vendor/ by the gateway's build.
import mexico from './vendor/mexico.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** The map's state ids (ISO 3166-2 suffixes) to INEGI state codes. */
const INEGI_CODE = {
  agu: '01', bcn: '02', bcs: '03', cam: '04', coa: '05', col: '06', chp: '07', chh: '08',
  cmx: '09', dur: '10', gua: '11', gro: '12', hid: '13', jal: '14', mex: '15', mic: '16',
  mor: '17', nay: '18', nle: '19', oax: '20', pue: '21', que: '22', roo: '23', slp: '24',
  sin: '25', son: '26', tab: '27', tam: '28', tla: '29', ver: '30', yuc: '31', zac: '32',
};

export const STAGES = ['DIAGNOSIS', 'AGREEMENT', 'PUBLICATION', 'ANNEXES', 'HANDOVER', 'PAYROLL', 'OPERATION', 'DECLINED', 'SUSPENDED'];

/** The map for the overview's states; clicking a state calls onSelect(stateCode). */
export function stateMap(states, onSelect) {
  const byCode = new Map(states.map((s) => [s.stateCode, s]));
  const svg = h('svg', { class: 'mexico-map', viewBox: mexico.viewBox, role: 'img', 'aria-label': t('national.mapLabel') });
  for (const location of mexico.locations) {
    const code = INEGI_CODE[location.id];
    const state = byCode.get(code);
    const stage = state?.stage ?? 'UNKNOWN';
    const name = state?.stateName ?? location.name;
    svg.append(
      h(
        'path',
        {
          d: location.path,
          class: `state stage-${stage}`,
          dataset: { state: code, stage },
          tabindex: 0,
          onclick: () => onSelect(code),
          onkeydown: (e) => (e.key === 'Enter' ? onSelect(code) : undefined),
        },
        h('title', {}, `${name}: ${state ? t(`stage.${stage}`) : '—'}`),
      ),
    );
  }
  return svg;
}

/** The colour legend of the stages, with how many states are in each. */
export function stageLegend(states) {
  return h(
    'ul',
    { class: 'legend', 'aria-label': t('national.legend') },
    STAGES.map((stage) =>
      h(
        'li',
        {},
        h('span', { class: `swatch stage-${stage}` }),
        `${t(`stage.${stage}`)} (${states.filter((s) => s.stage === stage).length})`,
      ),
    ),
  );
}
