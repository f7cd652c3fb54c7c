// Jobs centre: every service's jobs, newest first, with live progress bars for the running ones
// and their per-row errors downloadable as CSV.
import { api, query, stream } from '../api.js';
import { progressBar } from '../charts.js';
import { csvRecord } from '../csv.js';
import { h, notify, replace } from '../dom.js';
import { formatDate, formatNumber, t } from '../i18n.js';

const PAGE_SIZE = 25;
const ERRORS_PAGE = 1000;

/** Every row error of a job as a CSV file the browser saves. */
async function downloadErrors(job) {
  const lines = ['row,field,message'];
  for (let page = 1; ; page++) {
    const chunk = await api(`/jobs/${job.id}/errors${query({ page, pageSize: ERRORS_PAGE })}`);
    for (const e of chunk.items) lines.push(csvRecord([e.row, e.field, e.message]));
    if (page * ERRORS_PAGE >= chunk.total) break;
  }
  const url = URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: `${job.id}-errors.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function renderJobs(root) {
  let page = 1;
  const streams = new Map();
  const tableBox = h('div');
  const pager = h('div', { class: 'pager' });
  const refresh = h('button', { onclick: () => void load().catch((e) => notify(e.message, 'error')) }, t('jobs.refresh'));
  replace(root, h('header', { class: 'view-head' }, h('h2', {}, t('jobs.title')), refresh), tableBox, pager);

  const stopStreams = () => {
    for (const stop of streams.values()) stop();
    streams.clear();
  };

  const row = (job) => {
    const cells = {
      status: h('td', { dataset: { col: 'status' } }),
      progress: h('td', { dataset: { col: 'progress' } }),
      errors: h('td', { dataset: { col: 'errors' } }),
    };
    const update = (j) => {
      replace(cells.status, h('span', { class: `chip job-${j.status}` }, t(`jobs.status.${j.status}`)), j.failureReason ? h('div', { class: 'error' }, j.failureReason) : null);
      const { percent, done, total } = j.progress ?? {};
      replace(cells.progress, progressBar(percent ?? (j.status === 'completed' ? 100 : 0), total ? `${formatNumber(done ?? 0)} / ${formatNumber(total)}` : undefined));
      replace(
        cells.errors,
        formatNumber(j.errorCount ?? 0),
        j.errorCount ? [' ', h('button', { class: 'link', onclick: () => downloadErrors(j).catch((e) => notify(e.message, 'error')) }, t('jobs.download'))] : null,
      );
    };
    update(job);
    if (job.status === 'queued' || job.status === 'running') {
      streams.set(
        job.id,
        stream(`/jobs/${job.id}/stream`, {
          once: true,
          onEvent: (type, data) => {
            if (type === 'progress' && data?.id) update(data);
          },
        }),
      );
    }
    return h(
      'tr',
      { dataset: { job: job.id } },
      h('td', {}, h('code', {}, job.id)),
      h('td', {}, job.kind),
      cells.status,
      cells.progress,
      cells.errors,
      h('td', {}, formatDate(job.createdAt, true)),
      h('td', {}, job.createdBy ?? '—'),
    );
  };

  const load = async () => {
    stopStreams();
    const result = await api(`/jobs${query({ page, pageSize: PAGE_SIZE })}`);
    replace(
      tableBox,
      result.items.length
        ? h(
            'table',
            { class: 'jobs-table' },
            h('thead', {}, h('tr', {}, ['Id', t('jobs.kind'), t('jobs.status'), t('jobs.progress'), t('jobs.errors'), t('jobs.created'), t('jobs.by')].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, result.items.map(row)),
          )
        : h('p', { class: 'muted' }, t('jobs.none')),
    );
    pagination(pager, result, (p) => {
      page = p;
      void load().catch((e) => notify(e.message, 'error'));
    });
  };

  replace(tableBox, h('p', {}, t('common.loading')));
  load().catch((error) => replace(tableBox, h('p', { class: 'error' }, `${t('common.error')}: ${error.message}`)));
  return stopStreams;
}

/** Previous / next buttons and "page x of y" for a `{ total, page, pageSize }` result. */
export function pagination(box, { total, page, pageSize }, go) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  replace(
    box,
    h('button', { disabled: page <= 1, onclick: () => go(page - 1), 'data-testid': 'prev' }, t('page.prev')),
    h('span', {}, t('page.of', { page, pages, total: formatNumber(total) })),
    h('button', { disabled: page >= pages, onclick: () => go(page + 1), 'data-testid': 'next' }, t('page.next')),
  );
}
