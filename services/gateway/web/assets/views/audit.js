// Audit explorer: every service's hash-chained audit log, filtered and paged, and a check of
// each service's chain.
import { api, query } from '../api.js';
import { h, notify, replace } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { canVerifyAudit } from '../session.js';
import { pagination } from './jobs.js';

const SERVICES = ['transfer', 'hr', 'procurement', 'dignification'];
const PAGE_SIZE = 25;

/** A datetime-local value (the user's local time) as ISO 8601, or undefined when empty. */
const isoOf = (value) => (value ? new Date(value).toISOString() : undefined);

export function renderAudit(root) {
  const field = (name, attrs = {}) => h('input', { name, ...attrs });
  const inputs = {
    service: h('select', { name: 'service' }, h('option', { value: '' }, t('audit.all')), SERVICES.map((s) => h('option', { value: s }, s))),
    entity: field('entity', { placeholder: 'StateTransfer' }),
    entityId: field('entityId', { placeholder: '13' }),
    actor: field('actor'),
    stateCode: field('stateCode', { placeholder: '13', pattern: '\\d{2}', maxlength: 2, size: 3 }),
    from: field('from', { type: 'datetime-local' }),
    to: field('to', { type: 'datetime-local' }),
  };
  let page = 1;
  let searches = 0;
  const results = h('div', { class: 'audit-results' });
  const pager = h('div', { class: 'pager' });
  const verdicts = h('ul', { class: 'verdicts' });

  const verify = async (service) => {
    const item = h('li', { dataset: { verify: service } }, `${service}: ${t('common.loading')}`);
    verdicts.querySelector(`[data-verify="${service}"]`)?.remove();
    verdicts.append(item);
    try {
      const r = await api(`/audit/verify${query({ service })}`);
      item.className = r.valid ? 'valid' : 'broken';
      item.dataset.valid = String(r.valid);
      item.textContent = `${service}: ${r.valid ? t('audit.valid', { checked: r.checked }) : t('audit.broken', { seq: r.firstBrokenAt?.seq, reason: r.firstBrokenAt?.reason })}`;
    } catch (error) {
      item.className = 'broken';
      item.textContent = `${service}: ${t('common.error')}: ${error.message}`;
    }
  };

  const search = async () => {
    const params = {
      service: inputs.service.value,
      entity: inputs.entity.value.trim(),
      entityId: inputs.entityId.value.trim(),
      actor: inputs.actor.value.trim(),
      stateCode: inputs.stateCode.value.trim(),
      from: isoOf(inputs.from.value),
      to: isoOf(inputs.to.value),
      page,
      pageSize: PAGE_SIZE,
    };
    // Only the latest search may draw: an earlier answer arriving late must not replace it.
    const mine = ++searches;
    const result = await api(`/audit${query(params)}`);
    if (mine !== searches) return;
    replace(
      results,
      result.items.length
        ? h(
            'table',
            { class: 'audit-table' },
            h(
              'thead',
              {},
              h('tr', {}, [t('audit.when'), t('audit.service'), t('audit.actor'), t('audit.action'), t('audit.entity'), t('audit.entityId'), t('audit.reason'), t('audit.details')].map((c) => h('th', { scope: 'col' }, c))),
            ),
            h(
              'tbody',
              {},
              result.items.map((r) =>
                h(
                  'tr',
                  { dataset: { action: r.action, entityId: r.entityId } },
                  h('td', {}, formatDate(r.occurredAt, true)),
                  h('td', {}, r.service ?? inputs.service.value ?? ''),
                  h('td', {}, r.actor),
                  h('td', {}, h('code', {}, r.action)),
                  h('td', {}, r.entity),
                  h('td', {}, r.entityId),
                  h('td', {}, r.reason ?? ''),
                  h('td', {}, h('details', {}, h('summary', {}, '{…}'), h('pre', {}, JSON.stringify({ before: r.before, after: r.after }, null, 2)))),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('audit.none')),
    );
    pagination(pager, result, (p) => {
      page = p;
      void search().catch((e) => notify(e.message, 'error'));
    });
  };

  replace(
    root,
    h('header', { class: 'view-head' }, h('h2', {}, t('audit.title'))),
    h(
      'form',
      {
        class: 'filters',
        onsubmit: (e) => {
          e.preventDefault();
          page = 1;
          void search().catch((error) => replace(results, h('p', { class: 'error' }, `${t('common.error')}: ${error.message}`)));
        },
      },
      h('label', {}, t('audit.service'), inputs.service),
      h('label', {}, t('audit.entity'), inputs.entity),
      h('label', {}, t('audit.entityId'), inputs.entityId),
      h('label', {}, t('audit.actor'), inputs.actor),
      h('label', {}, t('col.state'), inputs.stateCode),
      h('label', {}, t('audit.from'), inputs.from),
      h('label', {}, t('audit.to'), inputs.to),
      h('button', { type: 'submit', class: 'primary' }, t('audit.search')),
    ),
    canVerifyAudit() ? h('div', { class: 'verify' }, SERVICES.map((s) => h('button', { type: 'button', dataset: { verify: s }, onclick: () => verify(s) }, `${t('audit.verify')}: ${s}`)), verdicts) : null,
    results,
    pager,
  );
  search().catch((error) => replace(results, h('p', { class: 'error' }, `${t('common.error')}: ${error.message}`)));
  return () => undefined;
}
