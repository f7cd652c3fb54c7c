// A state's page: the gate of its current stage (close items with evidence, advance or send
// back), its units, HR, supply and dignification figures, and the timeline of what happened.
import { api, ApiError, query, stream, upload } from '../api.js';
import { barChart } from '../charts.js';
import { h, notify, replace } from '../dom.js';
import { formatDate, formatMoney, formatNumber, itemTitle, t } from '../i18n.js';
import { STAGES } from '../map.js';
import { canActOnTransfer, canReadState } from '../session.js';

const PATH = STAGES.slice(0, 7);
const UNIT_STATUSES = ['INVENTORIED', 'INCLUDED', 'NEEDS_REGULARIZATION', 'EXCLUDED', 'HANDED_OVER', 'RE_REGISTERED', 'OPERATING'];
const HR_CATEGORIES = ['specialist', 'general-practitioner', 'nursing', 'paramedic', 'administrative'];
const TIMELINE_PAGE = 20;
const today = () => new Date().toISOString().slice(0, 10);
const percent = (v) => (v === null || v === undefined ? '—' : `${formatNumber(v, 1)} %`);

function errorText(error) {
  if (error instanceof ApiError && error.body?.missing) return `${error.message} (${error.body.missing.join(', ')})`;
  return error.message;
}

function section(title, ...content) {
  return h('section', { class: 'panel' }, h('h3', {}, title), ...content);
}

export function renderState(root, { params }) {
  const code = params.stateCode;
  const mayAct = canActOnTransfer(code);
  const head = h('header', { class: 'view-head' });
  const gateBox = h('div', { class: 'gate', 'data-testid': 'gate' });
  const actionsBox = h('div', { class: 'stage-actions' });
  const unitsBox = h('div');
  const hrBox = h('div');
  const figuresBox = h('div');
  const historyBox = h('div');
  const timelineBox = h('div');
  let transfer = null;
  let timelinePage = 1;
  let timelineItems = [];
  let formOpen = false;

  replace(
    root,
    h('p', {}, h('a', { href: '#/' }, t('state.back'))),
    head,
    mayAct ? null : h('p', { class: 'read-only', 'data-testid': 'read-only' }, t('state.readOnly')),
    h(
      'div',
      { class: 'state-grid' },
      h('div', {}, section(t('state.gate'), gateBox, actionsBox), section(t('state.history'), historyBox), section(t('state.timeline'), timelineBox)),
      h('div', {}, section(t('state.units'), unitsBox), section(t('state.hr'), hrBox), figuresBox),
    ),
  );

  const drawHead = () => {
    replace(
      head,
      h('h2', {}, transfer.stateName, ' ', h('span', { class: `chip stage-${transfer.stage}`, 'data-testid': 'stage' }, t(`stage.${transfer.stage}`))),
      h(
        'p',
        { class: 'muted' },
        t('state.since', {
          date: formatDate(transfer.stageSince),
          days: Math.max(0, Math.floor((Date.now() - new Date(transfer.stageSince).getTime()) / 86400000)),
        }),
      ),
    );
  };

  const closeForm = (item) => {
    const reference = h('input', { name: 'reference', required: true, maxlength: 200 });
    const date = h('input', { name: 'date', type: 'date', required: true, value: today(), max: today() });
    const file = h('input', { name: 'file', type: 'file', accept: '.pdf,.png,.jpg,.jpeg,.xlsx,.docx' });
    const note = h('input', { name: 'note', maxlength: 2000 });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('state.save'));
    const form = h(
      'form',
      {
        class: 'close-form',
        dataset: { item: item.id },
        onsubmit: async (e) => {
          e.preventDefault();
          submit.disabled = true;
          try {
            const evidence = { reference: reference.value.trim(), date: date.value };
            if (file.files.length) {
              notify(t('state.uploading'));
              const body = new FormData();
              // The document is evidence of this state: only its readers see it, only its items may cite it.
              body.set('stateCode', code);
              body.set('title', itemTitle(item));
              body.set('reference', evidence.reference);
              body.set('date', evidence.date);
              body.set('file', file.files[0]);
              evidence.documentSha256 = (await upload('/transfers/documents', body)).sha256;
            }
            await api(`/transfers/${code}/checklist/${encodeURIComponent(item.id)}`, {
              method: 'POST',
              body: note.value.trim() ? { evidence, note: note.value.trim() } : { evidence },
            });
            notify(t('state.closed'));
            formOpen = false;
            await loadTransfer();
          } catch (error) {
            notify(errorText(error), 'error');
            submit.disabled = false;
          }
        },
      },
      h('label', {}, t('state.reference'), reference),
      h('label', {}, t('state.date'), date),
      h('label', {}, t('state.document'), file),
      h('label', {}, t('state.note'), note),
      h(
        'div',
        { class: 'buttons' },
        submit,
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              formOpen = false;
              drawGate();
            },
          },
          t('state.cancel'),
        ),
      ),
    );
    return form;
  };

  const drawGate = () => {
    const items = transfer.checklist;
    replace(
      gateBox,
      items.length
        ? h(
            'ul',
            { class: 'checklist' },
            items.map((item) => {
              const li = h(
                'li',
                { class: item.done ? 'done' : 'open', dataset: { item: item.id, done: String(item.done) } },
                h('span', { class: 'check', 'aria-hidden': 'true' }, item.done ? '✔' : '○'),
                h(
                  'div',
                  {},
                  h('strong', {}, itemTitle(item)),
                  ' ',
                  h('span', { class: 'muted' }, item.done ? t('state.done') : t('state.open')),
                  item.source === 'event' && !item.done ? h('div', { class: 'muted' }, t('state.byEvent', { type: item.eventType ?? '' })) : null,
                  item.done
                    ? h(
                        'div',
                        { class: 'muted' },
                        t('state.doneBy', { who: item.doneBy, date: formatDate(item.doneAt) }),
                        item.evidence ? ` · ${t('state.evidence')}: ${item.evidence.reference} (${item.evidence.date})` : '',
                        item.evidence?.documentSha256 ? h('code', { title: item.evidence.documentSha256 }, ` sha256 ${item.evidence.documentSha256.slice(0, 12)}…`) : '',
                      )
                    : null,
                ),
              );
              if (!item.done && item.source === 'manual' && mayAct) {
                li.append(
                  h(
                    'button',
                    {
                      class: 'close-item',
                      dataset: { item: item.id },
                      onclick: () => {
                        if (formOpen) return;
                        formOpen = true;
                        li.append(closeForm(item));
                      },
                    },
                    t('state.closeItem'),
                  ),
                );
              }
              return li;
            }),
          )
        : h('p', { class: 'muted' }, t('state.gateEmpty')),
    );
  };

  const move = async (toStage, reason) => {
    try {
      const body = reason ? { toStage, reason } : { toStage };
      transfer = await api(`/transfers/${code}/advance`, { method: 'POST', body });
      notify(t('state.advanced', { stage: t(`stage.${transfer.stage}`) }));
      drawAll();
      void loadFigures();
      void loadTimeline(true);
    } catch (error) {
      notify(errorText(error), 'error');
    }
  };

  let actionsStage = null;
  const drawActions = () => {
    if (!mayAct) return replace(actionsBox);
    // A refresh must not wipe a reason being typed, unless the stage itself changed.
    if (actionsBox.querySelector('details[open]') && actionsStage === transfer.stage) return;
    actionsStage = transfer.stage;
    const index = PATH.indexOf(transfer.stage);
    const next = index >= 0 && index < PATH.length - 1 ? PATH[index + 1] : null;
    const gateOpen = transfer.checklist.some((i) => !i.done);
    const backTargets = index >= 0 ? [...PATH.slice(0, index), 'SUSPENDED', 'DECLINED'] : PATH;
    const target = h('select', { name: 'toStage' }, backTargets.map((s) => h('option', { value: s }, t(`stage.${s}`))));
    const reason = h('input', { name: 'reason', required: true, minlength: 5, maxlength: 2000 });
    replace(
      actionsBox,
      next
        ? h(
            'button',
            { class: 'primary advance', 'data-testid': 'advance', disabled: gateOpen, title: gateOpen ? t('state.gateOpen') : null, onclick: () => move(next) },
            t('state.advance', { stage: t(`stage.${next}`) }),
          )
        : null,
      h(
        'details',
        { class: 'move-back' },
        h('summary', {}, t(index >= 0 ? 'state.moveBack' : 'state.resume')),
        h(
          'form',
          {
            onsubmit: (e) => {
              e.preventDefault();
              void move(target.value, reason.value.trim());
            },
          },
          h('label', {}, t('state.moveTo'), target),
          h('label', {}, t('state.reason'), reason),
          h('button', { type: 'submit' }, t('state.move')),
        ),
      ),
    );
  };

  const drawHistory = () => {
    replace(
      historyBox,
      h(
        'ol',
        { class: 'history' },
        transfer.history.map((c) =>
          h(
            'li',
            {},
            h('time', {}, formatDate(c.changedAt, true)),
            ' ',
            c.fromStage ? `${t(`stage.${c.fromStage}`)} → ` : '',
            h('strong', {}, t(`stage.${c.toStage}`)),
            ` · ${c.actor}`,
            c.reason ? h('span', { class: 'muted' }, ` — ${c.reason}`) : '',
          ),
        ),
      ),
    );
  };

  const drawAll = () => {
    drawHead();
    if (!formOpen) drawGate();
    drawActions();
    drawHistory();
  };

  const loadTransfer = async () => {
    transfer = await api(`/transfers/${code}`);
    drawAll();
  };

  const loadFigures = async () => {
    const overview = await api('/overview');
    const s = overview.states.find((x) => x.stateCode === code);
    if (!s) return;
    const byStatus = s.units?.byStatus ?? {};
    replace(
      unitsBox,
      s.units?.total
        ? [
            h('p', { class: 'muted' }, t('state.unitsTotal', { n: formatNumber(s.units.total) }), ` · ${t('col.handedOver')} ${percent(s.units.handedOverPercent)} · ${t('col.reRegistered')} ${percent(s.units.reRegisteredPercent)}`),
            barChart(
              UNIT_STATUSES.map((status) => ({ label: t(`unit.${status}`), value: byStatus[status] ?? 0, text: formatNumber(byStatus[status] ?? 0) })),
              { label: t('state.units') },
            ),
          ]
        : h('p', { class: 'muted' }, t('state.noUnits')),
    );
    const d = s.dignification ?? {};
    replace(
      figuresBox,
      section(
        t('state.procurement'),
        h('dl', { class: 'figures' }, h('dt', {}, t('col.fillRate')), h('dd', { 'data-figure': 'fillRate' }, percent(s.fillRate)), h('dt', {}, t('col.formalized')), h('dd', {}, formatNumber(s.formalized ?? 0))),
      ),
      section(
        t('state.dignification'),
        h(
          'dl',
          { class: 'figures' },
          h('dt', {}, t('state.allocated')),
          h('dd', {}, formatMoney(d.allocated ?? 0)),
          h('dt', {}, t('state.disbursed')),
          h('dd', {}, formatMoney(d.disbursed ?? 0)),
          h('dt', {}, t('col.funds')),
          h('dd', {}, percent(d.fundsDeliveredPercent)),
          h('dt', {}, t('state.projects')),
          h('dd', {}, `${formatNumber(d.projectsCompleted ?? 0)} (${percent(d.projectsCompletedPercent)})`),
        ),
        barChart([{ label: t('col.funds'), value: d.fundsDeliveredPercent, text: percent(d.fundsDeliveredPercent) }], { percent: true, label: t('col.funds') }),
      ),
    );
  };

  const loadHr = async () => {
    if (!canReadState(code)) return replace(hrBox, h('p', { class: 'muted' }, t('state.noAccess')));
    const progress = await api(`/hr/states/${code}/progress`);
    const categories = progress.categories ?? [];
    replace(
      hrBox,
      barChart(
        HR_CATEGORIES.map((category) => categories.find((c) => c.category === category) ?? { category, target: 0, filled: 0, percent: null }).map((c) => ({
          label: t(`category.${c.category}`),
          value: c.percent,
          text: c.target ? `${percent(c.percent)} (${formatNumber(c.filled)} / ${formatNumber(c.target)})` : `${formatNumber(c.filled)} ${t('state.filled')}`,
        })),
        { percent: true, label: t('state.hr') },
      ),
    );
  };

  const loadTimeline = async (fresh = false) => {
    if (fresh) {
      timelinePage = 1;
      timelineItems = [];
    }
    const page = await api(`/overview/states/${code}/timeline${query({ page: timelinePage, pageSize: TIMELINE_PAGE })}`);
    timelineItems = fresh || timelinePage === 1 ? page.items : [...timelineItems, ...page.items];
    replace(
      timelineBox,
      h(
        'ol',
        { class: 'timeline' },
        timelineItems.map((e) =>
          h(
            'li',
            { class: `kind-${e.kind}` },
            h('time', {}, formatDate(e.at, true)),
            ' ',
            h('span', { class: 'tag' }, e.service),
            ' ',
            h('strong', {}, e.type),
            e.summary ? ` — ${e.summary}` : '',
            e.actor ? h('span', { class: 'muted' }, ` · ${e.actor}`) : '',
          ),
        ),
      ),
      timelineItems.length < page.total
        ? h(
            'button',
            {
              onclick: () => {
                timelinePage++;
                void loadTimeline();
              },
            },
            t('state.more'),
          )
        : null,
    );
  };

  const failed = (box) => (error) => replace(box, h('p', { class: 'error' }, error instanceof ApiError && error.status === 403 ? t('state.noAccess') : `${t('common.error')}: ${error.message}`));
  replace(gateBox, h('p', {}, t('common.loading')));
  loadTransfer().catch(failed(gateBox));
  loadFigures().catch(failed(unitsBox));
  loadHr().catch(failed(hrBox));
  loadTimeline(true).catch(failed(timelineBox));

  return stream('/overview/stream', {
    onEvent: (type, data) => {
      if (type !== 'overview' || (data?.stateCode && data.stateCode !== code)) return;
      void loadTransfer().catch(() => undefined);
      void loadFigures().catch(() => undefined);
      void loadTimeline(true).catch(() => undefined);
    },
  });
}
